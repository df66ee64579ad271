// Lists grouped by school in a board's config: one table per school, headed by its name.
import { BOARD_GROUP, schoolName, type Config } from '../../core/config/index.js';
import { colour } from '../format.js';

/** One section per school of `bySchool` (ids per school), each rendering its items with `render`. */
export function bySchoolSections<T extends { id: string }>(config: Config, bySchool: Record<string, string[]>, items: readonly T[], render: (items: T[]) => string): string {
  return Object.entries(bySchool)
    .map(([school, ids]) => {
      const heading = school === BOARD_GROUP ? `${config.school.name} (cameras of no school: the board's own, or no longer in the config)` : `${schoolName(config, school)} (${school})`;
      return `${colour.bold(heading)}\n${render(items.filter((i) => ids.includes(i.id)))}`;
    })
    .join('\n\n');
}
