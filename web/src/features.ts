// Feature flags as they apply to the signed-in user (GET /api/features; docs/configuration.md, "Feature flags"), read
// when the page loads: the editor hides what is off. The server refuses it anyway; hiding only spares a dead end.
import { api } from './api';

export type Feature = 'AiCommands' | 'AiClaude' | 'ShareLinks' | 'Invitations' | 'CrossInstancePresence' | 'ExportPng' | 'ExportSvg' | 'ExportJson'
  | 'StylePanel' | 'TextEditing' | 'VersionHistory';

/** Whether a feature is on; a flag the server did not name (an older server) counts as on, as the server's default is. */
export type Features = (feature: Feature) => boolean;

export async function loadFeatures(): Promise<Features> {
  const flags = await api.features();
  return feature => flags[feature] !== false;
}
