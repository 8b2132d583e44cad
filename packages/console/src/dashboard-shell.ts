import { createRequire } from 'node:module';
import type Blessed from 'blessed';

export type BlessedModule = typeof Blessed;

/** What both dashboards share: the screen, a one-line header and a footer with the key help. */
export interface DashboardShell {
  readonly blessed: BlessedModule;
  readonly screen: Blessed.Widgets.Screen;
  readonly header: Blessed.Widgets.BoxElement;
  /** Shows a message after the key help in the footer (the outcome of the last key, an error). */
  say(message: string): void;
  /**
   * Runs `refresh` now and then every `refreshMs` (a refresh still running is not started
   * again), until q, Esc or Ctrl-C; resolves after the screen is gone.
   */
  run(refreshMs: number, refresh: () => Promise<void>): Promise<void>;
}

export function createShell(title: string, help: string): DashboardShell {
  // blessed is CommonJS and loads its widgets and terminfo from its own directory at run time.
  const blessed = createRequire(import.meta.url)('blessed') as BlessedModule;
  const screen = blessed.screen({ smartCSR: true, title, fullUnicode: true });
  const header = blessed.box({ parent: screen, top: 0, left: 0, height: 1, width: '100%', tags: false, style: { bold: true } });
  const footer = blessed.box({ parent: screen, bottom: 0, left: 0, height: 1, width: '100%', content: help });
  const say = (message: string): void => {
    footer.setContent(`${help}   | ${message}`);
    screen.render();
  };
  const run = (refreshMs: number, refresh: () => Promise<void>): Promise<void> => {
    let refreshing = false;
    const guarded = async (): Promise<void> => {
      if (refreshing) return;
      refreshing = true;
      try {
        await refresh();
        screen.render();
      } catch (error) {
        say(`cannot refresh: ${(error as Error).message}`);
      } finally {
        refreshing = false;
      }
    };
    return new Promise<void>((resolve) => {
      const timer = setInterval(() => void guarded(), refreshMs);
      screen.key(['q', 'escape', 'C-c'], () => {
        clearInterval(timer);
        screen.destroy();
        resolve();
      });
      void guarded();
    });
  };
  return { blessed, screen, header, say, run };
}

/** A bordered list table whose first row is the header; rows are selected with the arrow keys. */
export function createTable(shell: DashboardShell, layout: { top: number | string; height: number | string; label?: string }, columns: readonly string[]): Blessed.Widgets.ListTableElement {
  return shell.blessed.listtable({
    parent: shell.screen,
    top: layout.top,
    left: 0,
    height: layout.height,
    width: '100%',
    keys: true,
    vi: true,
    border: { type: 'line' },
    label: layout.label,
    align: 'left',
    style: { header: { bold: true }, selected: { inverse: true }, cell: {} },
    data: [[...columns]],
  });
}

/** The selected data row's index (row 0 of a list table is its header); blessed's typings leave `selected` out. */
export function selectedIndex(table: Blessed.Widgets.ListTableElement): number {
  return Math.max(0, (table as unknown as { selected: number }).selected - 1);
}

/** Replaces a table's rows and keeps the selection on the same position, within the new rows. */
export function setRows(table: Blessed.Widgets.ListTableElement, columns: readonly string[], rows: string[][]): void {
  const position = (table as unknown as { selected: number }).selected;
  table.setData([[...columns], ...rows]);
  table.select(Math.min(Math.max(position, 1), Math.max(rows.length, 1)));
}
