// The account's roles (id and name); which users hold a role is kept on the users (role_ids).
import type { EmulatorRole } from './emulator-types.ts';

export class RoleStore {
  private readonly byId = new Map<number, EmulatorRole>();

  constructor(roles: readonly EmulatorRole[] = []) {
    for (const role of roles) this.add(role);
  }

  add(role: EmulatorRole): void {
    if (!Number.isSafeInteger(role.id) || role.id <= 0) throw new Error(`invalid role id ${role.id}`);
    this.byId.set(role.id, { ...role });
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Roles in ascending id order. */
  all(): EmulatorRole[] {
    return [...this.byId.values()].sort((left, right) => left.id - right.id).map((role) => ({ ...role }));
  }
}
