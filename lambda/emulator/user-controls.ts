// Test controls on the emulator object (not HTTP, not counted): change, remove and re-create users, as an
// administrator would between a dry run and a live run.
import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorUserChanges, OneLoginEmulator } from './emulator-types.ts';
import { changeUser, createUser } from './user-changes.ts';
import { copyUser } from './user-copy.ts';

type UserControls = Pick<OneLoginEmulator, 'updateUser' | 'removeUser' | 'recreateUser'>;

export function userControls(state: EmulatorState): UserControls {
  return {
    updateUser: (id: number, changes: EmulatorUserChanges) => {
      const user = changeUser(state.store, id, structuredClone(changes), state.now());
      return user && copyUser(user);
    },
    removeUser: (id: number) => state.store.delete(id),
    recreateUser: (fields: EmulatorUserChanges) =>
      copyUser(createUser(state.store, structuredClone(fields), state.now())),
  };
}
