// Where a path really leads, symlinks resolved, also for a folder that is still to be made: an export's --out or
// exports.root must not end up inside a storage root by way of a link.
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** The real path of `p`: its nearest existing ancestor resolved, the parts below it (still to be made) appended. */
export function realPathOf(p: string): string {
  let head = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(head), ...rest.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return path.resolve(p);
      rest.push(path.basename(head));
      head = parent;
    }
  }
}

/** `child` is `parent` or lies below it (both absolute, normalised). */
export function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** Whether two folders overlap once every link is resolved: one is inside the other. */
export function overlapsReally(a: string, b: string): boolean {
  const ra = realPathOf(a);
  const rb = realPathOf(b);
  return isInside(ra, rb) || isInside(rb, ra);
}
