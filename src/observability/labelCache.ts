/** Remembers the labelled child of a metric per label combination: prom-client hashes labels on every `labels()` call. */
export class LabelCache<Child> {
  private readonly children = new Map<string, Child>();

  constructor(private readonly create: (...values: string[]) => Child) {}

  get(...values: string[]): Child {
    const key = values.length === 1 ? (values[0] as string) : values.join('\u0000');
    let child = this.children.get(key);
    if (child === undefined) {
      child = this.create(...values);
      this.children.set(key, child);
    }
    return child;
  }
}
