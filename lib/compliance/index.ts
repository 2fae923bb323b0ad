export * from "./model";
export * from "./engine";
export * from "./suppressions";
export * from "./report";
export * from "./compliance";
export * from "./packs";
export { ALL_RULES, ruleById } from "./rules";
