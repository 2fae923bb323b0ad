/**
 * Parses a JSON document that Terraform renders from a template: each `${...}` interpolation
 * (whose expression may hold quotes, e.g. `replace("a", "b", "")`) is kept as text with its
 * inner quotes turned into single quotes, so the document parses as JSON. Returns undefined when
 * the text is not JSON even then (e.g. a jsonencode() expression, or a data source reference).
 */
export function parseTemplateJson(template: unknown): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (typeof template !== "string") return typeof template === "object" ? template : undefined;
  let out = "";
  for (let i = 0; i < template.length; i++) {
    if (template[i] === "$" && template[i + 1] === "{") {
      let depth = 0;
      let inString = false;
      let j = i + 1;
      for (; j < template.length; j++) {
        const c = template[j];
        if (inString) {
          if (c === "\\") j++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{") depth++;
        else if (c === "}" && --depth === 0) break;
      }
      out += template.slice(i, j + 1).replace(/"/g, "'");
      i = j;
    } else out += template[i];
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}
