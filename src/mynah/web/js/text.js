// The server counts offsets and columns in Unicode code points (Python's str); JavaScript strings
// index UTF-16 code units. These convert between the two.

/** For each code point index i (0..n), the UTF-16 index where it starts. */
export function codePointOffsets(text) {
  const offsets = [0];
  let unit = 0;
  for (const ch of text) {
    unit += ch.length;
    offsets.push(unit);
  }
  return offsets;
}

/** The UTF-16 index of (line, column), both counted from 1, the column in code points. */
export function indexOfLineColumn(text, line, column) {
  const lines = text.split("\n");
  let index = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) index += lines[i].length + 1;
  const current = lines[Math.min(line - 1, lines.length - 1)] || "";
  const offsets = codePointOffsets(current);
  return index + offsets[Math.max(0, Math.min(column - 1, offsets.length - 1))];
}
