import type { Staff } from '../domain/staff.ts';
import type { Store } from '../ports.ts';

/** `/tsuikyaku staff list`: the active staff. Anyone may ask: it is who to turn to, nothing private. */
export async function listStaff(deps: { store: Store }): Promise<Staff[]> {
  return deps.store.staff.listActive();
}
