// Staff roles and what each may do (API.md "Who may do what"). Each role has the rights of
// the ones before it.

export const staffRoles = ['circulation', 'cataloger', 'library-admin', 'consortium-admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export function roleRank(role: StaffRole): number {
  switch (role) {
    case 'circulation':
      return 1;
    case 'cataloger':
      return 2;
    case 'library-admin':
      return 3;
    case 'consortium-admin':
      return 4;
  }
}

export function hasRole(role: StaffRole, atLeast: StaffRole): boolean {
  return roleRank(role) >= roleRank(atLeast);
}

/** Whether a staff member with `role` may create an account with `newRole`. */
export function mayGrantRole(role: StaffRole, newRole: StaffRole): boolean {
  if (role === 'consortium-admin') return true;
  return role === 'library-admin' && roleRank(newRole) <= roleRank('library-admin');
}

export function roleLabel(role: StaffRole): string {
  switch (role) {
    case 'circulation':
      return 'circulation staff';
    case 'cataloger':
      return 'a cataloger';
    case 'library-admin':
      return 'a library administrator';
    case 'consortium-admin':
      return 'a consortium administrator';
  }
}
