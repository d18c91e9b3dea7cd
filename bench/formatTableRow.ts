/** One table line: the first two cells left-aligned (names), the rest right-aligned (figures), to the given widths. */
export function formatTableRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => {
      const width = widths[index] ?? 10;
      return index < 2 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(' ')
    .trimEnd();
}

/** CPU time per request in whole µs, or '' when not measured. */
export function cpuPerRequest(cpuMicros: number | undefined, requests: number): string {
  return cpuMicros === undefined || requests === 0 ? '' : `${Math.round(cpuMicros / requests)} µs`;
}
