import { formatFieldPath } from './field-path.ts';

/** Where a JSON text stops being valid JSON (or usable as owl's JSON) and why, in words for an operator. */
export interface JsonProblem {
  offset: number;
  problem: string;
}

/** An open object or array, with the key or index of the member being read. */
interface OpenContainer {
  kind: '{' | '[';
  member: string | number;
  /** Keys seen so far (objects only). */
  keys?: Set<string>;
}

const HEX_DIGITS = /^[0-9a-fA-F]{4}$/;
const ESCAPABLE = '"\\/bfnrt';

class ProblemFound {
  constructor(readonly error: JsonProblem) {}
}

/**
 * Scans `text` as JSON (RFC 8259) and returns the first problem, or null when it is valid.
 * JSON.parse says where it failed only for some errors, and in words that change between
 * Node versions; this gives every error an offset and a stable description. It also refuses
 * what JSON.parse accepts but would silently lose: a key repeated in one object (the last
 * would win) and a number too large to be finite (it would become null when written back).
 *
 * @example
 * findJsonProblem('{"a": 1,}'); // { offset: 7, problem: 'trailing comma before "}"' }
 */
export function findJsonProblem(text: string): JsonProblem | null {
  try {
    new JsonScanner(text).scanDocument();
    return null;
  } catch (error) {
    if (error instanceof ProblemFound) return error.error;
    throw error;
  }
}

class JsonScanner {
  #text: string;
  #position = 0;

  constructor(text: string) {
    this.#text = text;
  }

  // Iterative, with an explicit stack of open containers: nesting depth cannot overflow the call stack.
  scanDocument(): void {
    const open: OpenContainer[] = [];
    for (;;) {
      this.#skipWhitespace();
      if (!this.#scanValueStart(open) && !this.#closeValues(open)) return;
    }
  }

  // Scans a scalar or an empty container (false), or opens a container and reads its first key (true).
  #scanValueStart(open: OpenContainer[]): boolean {
    const char = this.#text[this.#position];
    if (char === '{' || char === '[') {
      this.#position++;
      this.#skipWhitespace();
      const closing = char === '{' ? '}' : ']';
      if (this.#text[this.#position] === closing) {
        this.#position++;
        return false;
      }
      const container: OpenContainer = char === '{' ? { kind: char, member: '', keys: new Set() } : { kind: char, member: 0 };
      open.push(container);
      if (char === '{') this.#scanPropertyName(open, container);
      return true;
    }
    if (char === '"') this.#scanString();
    else if (char === '-' || isDigit(char)) this.#scanNumber(open);
    else if (!this.#scanLiteral()) this.#fail(`expected a value, found ${this.#describeHere()}`);
    return false;
  }

  // After a value: closes finished containers; false once the document is complete.
  #closeValues(open: OpenContainer[]): boolean {
    for (;;) {
      this.#skipWhitespace();
      const container = open[open.length - 1];
      if (container === undefined) {
        if (this.#position < this.#text.length) this.#fail(`unexpected ${this.#describeHere()} after the JSON value`);
        return false;
      }
      const closing = container.kind === '{' ? '}' : ']';
      const char = this.#text[this.#position];
      if (char === closing) {
        this.#position++;
        open.pop();
        continue;
      }
      const after = container.kind === '{' ? 'the property value' : 'the array item';
      if (char !== ',') this.#fail(`expected "," or "${closing}" after ${after}, found ${this.#describeHere()}`);
      this.#scanComma(closing);
      if (container.kind === '{') this.#scanPropertyName(open, container);
      else container.member = (container.member as number) + 1;
      return true;
    }
  }

  #scanPropertyName(open: OpenContainer[], container: OpenContainer): void {
    if (this.#text[this.#position] !== '"') this.#fail(`expected a property name in double quotes, found ${this.#describeHere()}`);
    const start = this.#position;
    this.#scanString();
    const key = JSON.parse(this.#text.slice(start, this.#position)) as string;
    container.member = key;
    if (container.keys?.has(key)) {
      this.#fail(`duplicate key ${pathOf(open)}: a key may appear only once in an object (JSON.parse would keep only the last)`, start);
    }
    container.keys?.add(key);
    this.#skipWhitespace();
    if (this.#text[this.#position] !== ':') this.#fail(`expected ":" after the property name, found ${this.#describeHere()}`);
    this.#position++;
  }

  // A comma followed by the closing bracket is the most common hand-editing slip: name it.
  #scanComma(closing: string): void {
    const comma = this.#position;
    this.#position++;
    this.#skipWhitespace();
    if (this.#text[this.#position] === closing) this.#fail(`trailing comma before "${closing}"`, comma);
  }

  #scanString(): void {
    const start = this.#position;
    this.#position++;
    for (;;) {
      const char = this.#text[this.#position];
      if (char === undefined) this.#fail('unterminated string', start);
      if (char === '"') return void this.#position++;
      if (char === '\\') this.#scanEscape();
      else if (char.charCodeAt(0) < 0x20) {
        this.#fail(char === '\n' ? 'line break inside a string (write it as \\n)' : 'control character inside a string');
      } else this.#position++;
    }
  }

  #scanEscape(): void {
    const escaped = this.#text[this.#position + 1];
    if (escaped === 'u') {
      if (!HEX_DIGITS.test(this.#text.slice(this.#position + 2, this.#position + 6))) this.#fail('expected 4 hex digits after "\\u"');
      this.#position += 6;
    } else if (escaped !== undefined && ESCAPABLE.includes(escaped)) {
      this.#position += 2;
    } else {
      this.#fail(`invalid escape ${JSON.stringify(`\\${escaped ?? ''}`)} in a string`);
    }
  }

  #scanNumber(open: OpenContainer[]): void {
    const start = this.#position;
    this.#scanNumberText();
    const text = this.#text.slice(start, this.#position);
    if (!Number.isFinite(Number(text))) {
      const shown = text.length > 40 ? `${text.slice(0, 40)}... (${text.length} characters)` : text;
      this.#fail(`the number ${shown}${open.length > 0 ? ` at ${pathOf(open)}` : ''} is too large to represent`, start);
    }
  }

  #scanNumberText(): void {
    if (this.#text[this.#position] === '-') this.#position++;
    if (this.#text[this.#position] === '0') {
      this.#position++;
      if (isDigit(this.#text[this.#position])) this.#fail('numbers cannot have leading zeros');
    } else {
      this.#scanDigits('after "-"');
    }
    if (this.#text[this.#position] === '.') {
      this.#position++;
      this.#scanDigits('after "."');
    }
    if (this.#text[this.#position] === 'e' || this.#text[this.#position] === 'E') {
      this.#position++;
      if (this.#text[this.#position] === '+' || this.#text[this.#position] === '-') this.#position++;
      this.#scanDigits('in the exponent');
    }
  }

  #scanDigits(where: string): void {
    if (!isDigit(this.#text[this.#position])) this.#fail(`expected a digit ${where}, found ${this.#describeHere()}`);
    while (isDigit(this.#text[this.#position])) this.#position++;
  }

  #scanLiteral(): boolean {
    for (const literal of ['true', 'false', 'null']) {
      if (this.#text.startsWith(literal, this.#position) && !isWordChar(this.#text[this.#position + literal.length])) {
        this.#position += literal.length;
        return true;
      }
    }
    return false;
  }

  #skipWhitespace(): void {
    while (' \t\n\r'.includes(this.#text[this.#position] ?? 'x')) this.#position++;
  }

  #describeHere(): string {
    const rest = this.#text.slice(this.#position);
    if (rest === '') return 'the end of the file';
    if (rest.startsWith('//') || rest.startsWith('/*')) return 'a comment (JSON has no comments)';
    const word = /^[A-Za-z0-9_$]+/.exec(rest)?.[0];
    return JSON.stringify(word ?? rest[0]);
  }

  #fail(problem: string, offset = this.#position): never {
    throw new ProblemFound({ offset, problem });
  }
}

/** The path of the member being read, as owl's messages name fields: `apps[0].env.PORT`. */
function pathOf(open: readonly OpenContainer[]): string {
  return formatFieldPath(open.map((container) => container.member));
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9_$]/.test(char);
}
