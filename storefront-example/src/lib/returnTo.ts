/** Where to go after logging in (set when a page needed a login). */
export const returnTo = { path: "/" };
