/**
 * Reusable objects by kind, each held by one user at a time: an episode in flight takes an idle
 * one (or has one made) and gives it back when it ends, so a worker that steps B episodes
 * together makes at most B of each kind, and one when it runs them one by one.
 */
export class InstancePool<T> {
  private readonly idle = new Map<string, T[]>();

  async take(kind: string, make: () => Promise<T>): Promise<T> {
    return this.idle.get(kind)?.pop() ?? make();
  }

  give(kind: string, value: T): void {
    let list = this.idle.get(kind);
    if (!list) this.idle.set(kind, (list = []));
    list.push(value);
  }
}
