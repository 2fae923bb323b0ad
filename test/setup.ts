import "cdktf/lib/testing/adapters/jest"; // types of the matchers below
import { Testing } from "cdktf";

// Adds cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();
