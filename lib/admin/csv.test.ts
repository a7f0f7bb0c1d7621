import { describe, expect, test } from "vitest";
import { csvField, csvRow } from "./csv";

describe("csv", () => {
  test.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["@sum", '"\'@sum"'],
    ["-1+1", '"\'-1+1"'],
  ])("%j → %s", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  test("numbers stay numbers, nulls are empty, rows end in CRLF", () => {
    expect(csvRow([-1200, null, true, "x"])).toBe("-1200,,true,x\r\n");
  });
});
