import * as vscode from 'vscode';

/**
 * One status bar item: the number of Perflens problems, and a spinner while analysis or a scan is
 * running. Counting walks the diagnostic collection, so it is batched to one update per 100 ms.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('perflens.status', vscode.StatusBarAlignment.Left, 10);
  private busy = 0;
  private count = 0;
  private disabled = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly collection: vscode.DiagnosticCollection) {
    this.item.name = 'Perflens';
    this.item.command = 'workbench.actions.view.problems';
    this.render();
    this.item.show();
  }

  /** Marks work as running until the returned function is called. */
  begin(): () => void {
    this.busy++;
    this.render();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.busy--;
      this.render();
    };
  }

  setDisabled(disabled: boolean): void {
    this.disabled = disabled;
    this.render();
  }

  /** Recount soon (the collection changed). */
  changed(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      let n = 0;
      this.collection.forEach((_, diags) => (n += diags.length));
      this.count = n;
      this.render();
    }, 100);
  }

  /** For tests and the UI: what the item shows. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    if (this.disabled) {
      this.item.text = '$(circle-slash) Perflens';
      this.item.tooltip = 'Perflens is disabled (`perflens.enable` is false)';
      return;
    }
    const running = this.busy > 0;
    const icon = running ? '$(sync~spin)' : this.count > 0 ? '$(warning)' : '$(check)';
    this.item.text = `${icon} Perflens: ${this.count}`;
    const problems = `${this.count} performance ${this.count === 1 ? 'problem' : 'problems'}`;
    this.item.tooltip = running ? `Perflens is analysing… (${problems} so far)` : `Perflens: ${problems}. Click to open Problems.`;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
  }
}
