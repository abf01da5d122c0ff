// A heap burst like a bring-up's, for the idle compactor's tests: made in the test's own process.

/** Every fourth object kept, the rest garbage made beside it (sparse old-space pages once promoted). */
export function burst(objects: number): object[] {
  const keep: object[] = [];
  let junk: object[] = [];
  for (let i = 0; i < objects; i++) {
    const o = { a: i, b: [i, i + 1], s: `x${i}` };
    if (i % 4 === 0) keep.push(o);
    else junk.push(o);
    if (junk.length > 100_000) junk = [];
  }
  return keep;
}
