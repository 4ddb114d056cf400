// A copy of a stored user that a caller may change without changing the account.
import type { EmulatorUser } from './emulator-types.ts';

export function copyUser(user: EmulatorUser): EmulatorUser {
  const copy = { ...user };
  if (user.custom_attributes) copy.custom_attributes = { ...user.custom_attributes };
  if (user.role_ids) copy.role_ids = [...user.role_ids];
  return copy;
}
