// A forgiving PromQL tokenizer for the editor: it never fails, so that completion
// works on half-typed expressions (an unclosed string runs to the end of the text).
// The server's parser stays the judge of what is valid.

export type TokenKind = "ident" | "number" | "string" | "op" | "open" | "close" | "comma" | "comment";

export interface Token {
  kind: TokenKind;
  text: string;
  start: number; // offset of the first character
  end: number; // offset after the last character
  closed?: boolean; // strings: whether the closing quote was seen
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_:]/;
const NUMBER_PART = /[A-Za-z0-9_.]/; // 5m, 1h30m, 1e3, 0x1f, 1.5
const TWO_CHAR_OPS = ["=~", "!~", "!=", "==", ">=", "<="];

export function isIdentChar(c: string): boolean {
  return IDENT_PART.test(c);
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, closed?: boolean) =>
    out.push({ kind, text: src.slice(start, end), start, end, ...(closed === undefined ? {} : { closed }) });
  while (i < src.length) {
    const c = src[i];
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      push("comment", start, i);
    } else if (c === '"' || c === "'" || c === "`") {
      i++;
      let closed = false;
      while (i < src.length) {
        if (src[i] === "\\" && c !== "`") {
          i += 2;
          continue;
        }
        if (src[i++] === c) {
          closed = true;
          break;
        }
      }
      push("string", start, Math.min(i, src.length), closed);
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      while (i < src.length && NUMBER_PART.test(src[i])) i++;
      push("number", start, i);
    } else if (IDENT_START.test(c)) {
      while (i < src.length && IDENT_PART.test(src[i])) i++;
      push("ident", start, i);
    } else if (c === "(" || c === "{" || c === "[") {
      push("open", start, ++i);
    } else if (c === ")" || c === "}" || c === "]") {
      push("close", start, ++i);
    } else if (c === ",") {
      push("comma", start, ++i);
    } else if (TWO_CHAR_OPS.includes(src.slice(i, i + 2))) {
      i += 2;
      push("op", start, i);
    } else {
      push("op", start, ++i);
    }
  }
  return out;
}

// The content of a string token up to `upTo` (an offset inside it), escapes resolved.
export function stringContent(tok: Token, upTo = tok.end): string {
  const quote = tok.text[0];
  let raw = tok.text.slice(1, upTo - tok.start);
  if (tok.closed && upTo >= tok.end) raw = raw.slice(0, -1);
  if (quote === "`") return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v" } as Record<string, string>)[e] ?? e;
  });
}

// Index of the bracket matching each open/close token (-1 when unmatched).
export function matchBrackets(toks: Token[]): number[] {
  const match = toks.map(() => -1);
  const stack: number[] = [];
  toks.forEach((t, i) => {
    if (t.kind === "open") stack.push(i);
    else if (t.kind === "close" && stack.length) {
      const j = stack.pop()!;
      match[i] = j;
      match[j] = i;
    }
  });
  return match;
}

// The parser counts columns in bytes of UTF-8 (as Prometheus does); the editor in
// UTF-16 code units. The index in `line` of 1-based byte column `column`.
export function indexOfByteColumn(line: string, column: number): number {
  const bytes = new TextEncoder().encode(line);
  return new TextDecoder().decode(bytes.slice(0, Math.max(0, column - 1))).replace(/\uFFFD$/, "").length;
}
