// What the real server says about a session's jobs, read the way the extension authenticates:
// the token and session the extension stored (chrome.storage.local "auth").

/**
 * The session's outputs (GeneratedMedia: {id, status, progress, …}) from
 * `GET /api/state/nemo_agent/me/<sid>/latest`, using the credentials in `auth`.
 */
export async function serverOutputs(backendUrl, auth) {
  if (!auth || !auth.token || !auth.sessionId) throw new Error(`the extension has no session yet: ${JSON.stringify(auth)}`);
  const res = await fetch(`${backendUrl}/api/state/nemo_agent/me/${encodeURIComponent(auth.sessionId)}/latest`, {
    headers: { authorization: `Bearer ${auth.token}` },
  });
  const body = await res.json();
  if (!res.ok || body.code !== 0) throw new Error(`state endpoint answered ${res.status}: ${JSON.stringify(body)}`);
  return body.data.generated_media || [];
}
