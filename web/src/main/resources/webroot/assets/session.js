// Who is logged in (GET /api/v1/me), shared by the views that show or hide admin actions.
import {get} from './api.js';

/** {user, role, via}; role is "reader" until /api/v1/me answers. */
export const session = {user: null, role: 'reader', via: null};

export async function loadSession() {
  try {
    Object.assign(session, await get('/api/v1/me', null, {quiet: true}));
  } catch (e) {
    // 401 already redirected; other errors leave the reader view
  }
  document.body.classList.toggle('role-admin', session.role === 'admin');
  document.body.classList.toggle('role-reader', session.role !== 'admin');
  return session;
}
