export const userSelect = { id: true, username: true, isAdmin: true, disabledAt: true, createdAt: true } as const;
