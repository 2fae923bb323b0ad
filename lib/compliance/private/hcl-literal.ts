/*
 * Reads the value inside a `${jsonencode(...)}` attribute, as cdktf synthesizes `Fn.jsonencode({ ... })`:
 * an HCL object literal such as `{"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Resource" = [aws_s3_bucket.b.arn]}]}`.
 * Strings, numbers, bools, null, lists and objects are read as values; any other expression (a reference such as
 * `aws_s3_bucket.b.arn`, a function call, a conditional) is kept as the opaque string "${<expression>}", which
 * the rules treat like any other Terraform reference.
 */

/** The value of a `${jsonencode(<literal>)}` string, or undefined when the value is not such a string or cannot be read. */
export function parseJsonencode(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(value.trim());
  if (!m) return undefined;
  try {
    const parser = new HclLiteralParser(m[1]);
    const out = parser.value();
    parser.end();
    return out;
  } catch {
    return undefined;
  }
}

class HclLiteralParser {
  private i = 0;
  constructor(private readonly text: string) {}

  /** Fails unless only blanks remain. */
  end(): void {
    this.blank();
    if (this.i < this.text.length) throw new Error(`unexpected ${this.text[this.i]} at ${this.i}`);
  }

  value(): unknown {
    this.blank();
    const c = this.text[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.list();
    if (c === '"') return this.string();
    const rest = this.text.slice(this.i);
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?=[\s,\]})]|$)/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    const word = /^(true|false|null)(?=[\s,\]})]|$)/.exec(rest);
    if (word) {
      this.i += word[0].length;
      return word[1] === "null" ? null : word[1] === "true";
    }
    return `\${${this.expression()}}`;
  }

  /** Blanks, newlines and comments. */
  private blank(): void {
    for (;;) {
      const rest = this.text.slice(this.i);
      const m = /^(\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!m) return;
      this.i += m[0].length;
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.blank();
      if (this.text[this.i] === "}") {
        this.i++;
        return out;
      }
      const key = this.text[this.i] === '"' ? this.string() : this.identifier();
      this.blank();
      const sep = this.text[this.i];
      if (sep !== "=" && sep !== ":") throw new Error(`expected = or : after key ${key}`);
      this.i++;
      out[key] = this.value();
      this.blank();
      if (this.text[this.i] === ",") this.i++;
    }
  }

  private list(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.blank();
      if (this.text[this.i] === "]") {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.blank();
      if (this.text[this.i] === ",") this.i++;
      else if (this.text[this.i] !== "]") throw new Error(`expected , or ] at ${this.i}`);
    }
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.i));
    if (!m) throw new Error(`expected a key at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }

  /** A quoted template; interpolations (`${...}`) stay in the text, as in any synthesized attribute. */
  private string(): string {
    let out = "";
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "\\") {
        const n = this.text[this.i + 1];
        if (n === "u") {
          out += String.fromCharCode(parseInt(this.text.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
          continue;
        }
        out += ({ n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" } as Record<string, string>)[n] ?? n;
        this.i += 2;
        continue;
      }
      if (c === "$" && this.text[this.i + 1] === "{") {
        const start = this.i;
        this.i += 2;
        this.skipBalanced("}");
        out += this.text.slice(start, this.i);
        continue;
      }
      out += c;
      this.i++;
    }
    throw new Error("unterminated string");
  }

  /** Skips to just after the `close` that balances an opening already consumed, over nested brackets and strings. */
  private skipBalanced(close: string): void {
    const stack = [close];
    while (this.i < this.text.length && stack.length) {
      const c = this.text[this.i];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === "{") stack.push("}");
      else if (c === "[") stack.push("]");
      else if (c === "(") stack.push(")");
      else if (c === stack[stack.length - 1]) stack.pop();
      this.i++;
    }
    if (stack.length) throw new Error("unbalanced expression");
  }

  /** Any other expression, up to the `,`, `}` or `]` (or line end) that ends it at its own nesting level. */
  private expression(): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === "," || c === "}" || c === "]" || c === "\n") break;
      if (c === '"') {
        this.string();
        continue;
      }
      this.i++;
      if (c === "(") this.skipBalanced(")");
      else if (c === "[") this.skipBalanced("]");
      else if (c === "{") this.skipBalanced("}");
    }
    const expr = this.text.slice(start, this.i).trim();
    if (!expr) throw new Error(`expected a value at ${start}`);
    return expr;
  }
}
