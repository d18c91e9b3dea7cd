/** Remembers one child per label combination, so that the request path looks it up instead of building it again. */
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
