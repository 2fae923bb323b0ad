import { ResourceView, StackView } from "../rule-model";

/** Builds the rules' view of a synthesized stack (the JSON cdktf writes to cdk.tf.json). */
export function stackViewOf(name: string, json: Record<string, any>): StackView { // eslint-disable-line @typescript-eslint/no-explicit-any
  const resources: ResourceView[] = [];
  const add = (mode: "managed" | "data", block: Record<string, Record<string, any>> | undefined) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const [type, byName] of Object.entries(block ?? {})) {
      for (const [logical, raw] of Object.entries(byName)) {
        const { "//": meta, ...config } = raw as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        resources.push({
          type,
          name: logical,
          address: `${mode === "data" ? "data." : ""}${type}.${logical}`,
          path: meta?.metadata?.path ?? `${name}/${logical}`,
          mode,
          config,
        });
      }
    }
  };
  add("managed", json.resource);
  add("data", json.data);
  const byType = new Map<string, ResourceView[]>();
  for (const r of resources) {
    if (r.mode !== "managed") continue;
    const list = byType.get(r.type) ?? [];
    list.push(r);
    byType.set(r.type, list);
  }
  const refersTo = (value: unknown, target: ResourceView): boolean => {
    const needle = `${target.address}.`;
    const search = (v: unknown): boolean => {
      if (typeof v === "string") return v.includes(needle) || v === target.address;
      if (Array.isArray(v)) return v.some(search);
      if (v && typeof v === "object") return Object.values(v).some(search);
      return false;
    };
    return search(value);
  };
  return {
    name,
    resources,
    ofType: (type) => byType.get(type) ?? [],
    refersTo,
    attachedTo: (type, attribute, target, matchLiteral) =>
      (byType.get(type) ?? []).filter((r) => refersTo(r.config[attribute], target) || (matchLiteral !== undefined && r.config[attribute] === matchLiteral)),
  };
}
