// The tool registry: one entry per tool of the toolbar (tools.ts names them, with their keys and icons). A new tool
// is a module implementing EditorTool plus one line here.
import type { ToolName } from '../tools';
import { DrawTool } from './draw';
import { SelectTool } from './select';
import { TextTool } from './text';
import type { EditorServices, EditorTool } from './tool';

export const TOOL_FACTORIES: Record<ToolName, (editor: EditorServices) => EditorTool> = {
  select: editor => new SelectTool(editor),
  rect: editor => new DrawTool('rect', editor),
  ellipse: editor => new DrawTool('ellipse', editor),
  frame: editor => new DrawTool('frame', editor),
  line: editor => new DrawTool('line', editor),
  arrow: editor => new DrawTool('arrow', editor),
  path: editor => new DrawTool('path', editor),
  text: editor => new TextTool(editor),
};

/** One instance of every tool, sharing the editor's services. */
export function createTools(editor: EditorServices): Record<ToolName, EditorTool> {
  return Object.fromEntries(Object.entries(TOOL_FACTORIES).map(([name, make]) => [name, make(editor)])) as Record<ToolName, EditorTool>;
}
