// How far the view zooms, wherever it is zoomed: the wheel, zoom to fit, following someone.
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;

export const clampZoom = (scale: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, scale));
