// What every tool is and what it may use. A tool is a small state machine driven by the editor's pointer and key
// events, in canvas coordinates; it changes the document only through the services below, so it knows nothing of
// Konva, the DOM or the network, and Vitest drives it with a fake (web/test/tools.test.ts).
import type { CanvasModel } from '../../sync/model';
import type { Op, PropValue } from '../../sync/protocol';
import type { Box, Segment } from '../snapping';
import type { ToolName } from '../tools';

export interface Point { x: number; y: number }

/** A press, drag or release on the canvas, as a tool sees it. */
export interface PointerInput {
  /** Where, in canvas units (rounded to hundredths). */
  at: Point;
  /** The object pressed (the node under the pointer), or null for the empty canvas. */
  target: string | null;
  /** Whether the press is on a handle of the selection (resize, rotate): the handle's own gesture takes it. */
  onHandle: boolean;
  shift: boolean;
}

/**
 * One tool: the toolbar button and key of its name (tools.ts) make it active. A gesture runs from `onPointerDown` to
 * `onPointerUp` on the tool that took the press, even if another tool is chosen meanwhile.
 */
export interface EditorTool {
  readonly name: ToolName;
  onPointerDown(input: PointerInput): void;
  onPointerMove(input: PointerInput): void;
  onPointerUp(input: PointerInput): void;
  /** Ends a gesture in progress at once, keeping what it made so far (one undo step), and hides its feedback. */
  cancel(): void;
}

/** What tools (and gestures such as moving the selection) may do: the editor gives them these, a test fakes them. */
export interface EditorServices {
  /** The local document, with this user's pending changes. */
  doc(): CanvasModel;
  /** Makes a change (undoable, sent to the server). */
  submit(ops: Op[]): void;
  /** Changes submitted between `begin` and `end` are one undo step. */
  beginStep(): void;
  endStep(): void;
  selection(): readonly string[];
  select(ids: string[]): void;
  setTool(name: ToolName): void;
  newId(): string;
  /** Screen pixels per canvas unit. */
  scale(): number;
  /** The boxes of the objects on screen, in canvas units, other than `except`. */
  visibleBounds(except: ReadonlySet<string>): Iterable<Box & { id: string }>;
  /** Shows a dashed rubber band (a marquee, a text box being drawn), or hides it with null. */
  showBand(box: Box | null): void;
  /**
   * Shows snapping guides at these canvas x (vertical lines) and y (horizontal lines), and segments over equal gaps;
   * none hides them.
   */
  showGuides(vertical: number[], horizontal: number[], gaps?: Segment[]): void;
  /** Opens the in-place editor of a text. */
  editText(id: string): void;
  /** Binding connectors' ends to shapes (connectors.ts). */
  connectors: ConnectorHooks;
}

/** What binding connectors adds to drawing, moving and deleting; for other types each hook does nothing. */
export interface ConnectorHooks {
  /** The props that bind a new connector's start, when it is drawn from a shape. */
  startProps(type: string, at: Point): Record<string, PropValue>;
  /** While a connector is drawn: shows the shape its end would bind to. */
  drawing(type: string, id: string, at: Point | null): void;
  /** When a connector's drawing ends at `at`: ops that bind its end to the shape there. */
  finishDrawing(type: string, id: string, at: Point | null): Op[];
  /** Ops that unbind the selected connectors from shapes left out of a drag or a resize of `selection`. */
  detach(selection: readonly string[]): Op[];
  /** `ids` and the connectors whose drawn ends follow them (not snapped to while they move). */
  withFollowers(ids: Iterable<string>): Set<string>;
  /** Ops that keep connectors bound to `ids` where they are drawn before `ids` are deleted. */
  beforeDelete(ids: readonly string[]): Op[];
}

/** Hundredths of a canvas unit: what the document keeps of a coordinate. */
export const round = (n: number) => Math.round(n * 100) / 100;

/** The box spanned by two corners. */
export function boxBetween(a: Point, b: Point): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}
