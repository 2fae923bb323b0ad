// ESLint: typescript-eslint's recommended rules and no import cycles (run by `npm test`).
// Type-only cycles, which import-x/no-cycle skips, and the layer order of lib/ are checked by
// test/architecture.test.ts.
import tseslint from "typescript-eslint";
import { createNodeResolver, importX } from "eslint-plugin-import-x";

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", ".build/**", "cdktf.out/**", "docs/**", ".gen/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts", "**/*.mjs"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".mts", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".mts"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".mts", ".js", ".mjs", ".json"] })],
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // Unused names fail `tsc --noEmit` already (noUnusedLocals/noUnusedParameters).
      "@typescript-eslint/no-unused-vars": "off",
    },
  },
);
