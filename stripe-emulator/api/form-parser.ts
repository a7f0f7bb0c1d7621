/**
 * Parses Stripe-style form encoding (`a[b][0][c]=1`). The SDK sends arrays as `[0]`, the CLI
 * and browsers often send `[]`; both must produce the same nested value.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormParseError";
  }
}

const MAX_PAIRS = 5000;
const MAX_DEPTH = 8;
const INDEX = /^(0|[1-9]\d{0,5})$/;

type Node = LeafNode | MapNode | ListNode;
interface LeafNode {
  kind: "leaf";
  value: string;
}
interface MapNode {
  kind: "map";
  entries: Map<string, Node>;
}
interface ListNode {
  kind: "list";
  items: Node[];
}

export function parseForm(input: string): FormObject {
  const text = input.startsWith("?") ? input.slice(1) : input;
  const root: MapNode = { kind: "map", entries: new Map() };
  if (text.length === 0) return {};
  const pairs = text.split("&");
  if (pairs.length > MAX_PAIRS) throw new FormParseError("Too many parameters.");
  for (const pair of pairs) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf("=");
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? "" : pair.slice(eq + 1));
    if (key.length === 0) continue;
    insert(root, splitKey(key), value, key);
  }
  return toObject(root);
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw new FormParseError(`Invalid URL encoding in request: ${raw.slice(0, 40)}`);
  }
}

function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new FormParseError(`Invalid parameter name: ${key}`);
    segments.push(match[1] ?? "");
    rest = rest.slice(match[0].length);
  }
  if (segments.length > MAX_DEPTH) throw new FormParseError(`Parameter nested too deeply: ${key}`);
  return segments;
}

function kindFor(next: string | undefined): Node["kind"] {
  if (next === undefined) return "leaf";
  return next === "" ? "list" : "map";
}

function makeNode(kind: Node["kind"], value: string): Node {
  if (kind === "leaf") return { kind, value };
  return kind === "map" ? { kind, entries: new Map() } : { kind, items: [] };
}

function insert(container: MapNode | ListNode, segments: string[], value: string, fullKey: string): void {
  const [segment = "", ...rest] = segments;
  const wanted = kindFor(rest[0]);
  let child: Node | undefined;
  if (container.kind === "map") {
    if (segment === "") throw new FormParseError(`Invalid parameter name: ${fullKey}`);
    child = container.entries.get(segment);
    if (!child) {
      child = makeNode(wanted, value);
      container.entries.set(segment, child);
    } else if (child.kind === "leaf" && wanted === "leaf") {
      child.value = value;
    }
  } else {
    if (segment !== "") throw new FormParseError(`Mixed array styles in parameter: ${fullKey}`);
    // Rails-style `a[][x]=1&a[][y]=2`: keep filling the last element until a key repeats.
    const last = container.items.at(-1);
    if (wanted === "map" && last?.kind === "map" && !hasPath(last, rest)) {
      child = last;
    } else {
      child = makeNode(wanted, value);
      container.items.push(child);
    }
  }
  if (child.kind !== wanted) throw new FormParseError(`Conflicting types for parameter: ${fullKey}`);
  if (child.kind !== "leaf") insert(child, rest, value, fullKey);
}

function hasPath(node: Node, segments: string[]): boolean {
  const [segment, ...rest] = segments;
  if (segment === undefined) return true;
  if (node.kind !== "map" || segment === "") return false;
  const child = node.entries.get(segment);
  return child !== undefined && hasPath(child, rest);
}

function toValue(node: Node): FormValue {
  if (node.kind === "leaf") return node.value;
  if (node.kind === "list") return node.items.map(toValue);
  const keys = [...node.entries.keys()];
  if (keys.every((k) => INDEX.test(k))) {
    return keys
      .map((k) => [Number(k), node.entries.get(k)] as const)
      .sort((a, b) => a[0] - b[0])
      .flatMap(([, child]) => (child ? [toValue(child)] : []));
  }
  return toObject(node);
}

function toObject(node: MapNode): FormObject {
  // fromEntries defines own properties, so a `__proto__` key cannot reach the prototype.
  return Object.fromEntries<FormValue>([...node.entries].map(([k, child]) => [k, toValue(child)]));
}
