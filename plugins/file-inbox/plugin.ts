import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileInboxToken } from '../../interfaces/services/acquisition';
import { FileReceived, FileRejected } from '../../interfaces/topics';
import { definePlugin } from '../../sdk';
import { FileInboxConfig } from './config';
import { detectFile } from './detect';
import { Inbox } from './inbox';
import { Journal, type JournalEntry } from './journal';

const glob = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

let inboxes: Inbox[] = [];

export default definePlugin({
  name: 'file-inbox',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Watched drop folders: detects each file kind by content, routes it to its module, moves it to done/ or rejected/ with a reason.',
  provides: [FileInboxToken],
  publishes: [FileReceived, FileRejected],
  config: FileInboxConfig,
  start(ctx) {
    const cfg = ctx.config;
    const journal = new Journal(path.join(ctx.dataDir, 'journal.jsonl'));
    journal.load();
    if (journal.skipped) ctx.log.warn(`journal: ${journal.skipped} unreadable line(s) skipped (torn write?)`);
    ctx.onDispose(() => journal.close());
    const folders = cfg.inboxes.length ? cfg.inboxes.map((i) => ({ name: i.name, dir: path.resolve(i.path) })) : [{ name: 'default', dir: path.join(ctx.dataDir, 'inbox') }];
    const ignore = cfg.ignore.map(glob);
    const published = (e: JournalEntry) => {
      if (e.outcome === 'done') {
        ctx.publish(FileReceived, {
          fileId: e.fileId,
          path: e.dest,
          originalName: e.name,
          kind: e.kind as never,
          format: e.format as never,
          sizeBytes: e.sizeBytes,
          sha256: e.sha256,
          inbox: e.inbox,
          owner: e.owner!,
          receivedAtUtc: e.atUtc,
        });
        ctx.log.info(`${e.name} (${e.kind}) → ${e.owner}: ${e.dest}`);
        // Deviations a lenient read accepts (real CARA CDMs have some): journaled with the entry, logged, not refused.
        if (e.warnings?.length) ctx.log.warn(`${e.name}: accepted with deviation(s):\n  ${e.warnings.join('\n  ')}`);
      } else {
        ctx.publish(FileRejected, {
          fileId: e.fileId,
          originalName: e.name,
          keptAt: e.dest,
          reasonFile: e.dest + '.reason',
          reason: e.reason!,
          ...(e.line ? { line: e.line } : {}),
          ...(e.kind ? { kind: e.kind as never } : {}),
          rejectedBy: ctx.name,
          rejectedAtUtc: e.atUtc,
        });
        ctx.log.warn(`${e.name} rejected: ${e.reason}`);
      }
    };
    inboxes = folders.map(
      (f) =>
        new Inbox({
          name: f.name,
          dir: f.dir,
          routing: cfg.routing,
          maxFileBytes: cfg.maxFileBytes,
          ignore,
          journal,
          now: () => new Date(),
          published,
          log: ctx.log,
          signal: ctx.signal,
          stabilityMs: cfg.stabilityMs,
        }),
    );
    const running = inboxes;
    // Begin after start returns, so modules started alongside have subscribed to file.received.
    ctx.scheduler.after(0, () => {
      for (const inbox of running) {
        inbox.recover();
        ctx.watch(inbox.realDir, (ev) => {
          if (ev.kind !== 'unlink') inbox.offer(ev.path);
        }, { stabilityMs: cfg.stabilityMs, initial: true, depth: 0 });
      }
    });
    ctx.provide(FileInboxToken, {
      async status() {
        return running.map((i) => {
          let done = 0;
          let rejected = 0;
          for (const e of journal.entries.values()) {
            if (e.inbox !== i.name || e.stage !== 'published') continue;
            if (e.outcome === 'done') done++;
            else rejected++;
          }
          const waiting = fs.readdirSync(i.realDir, { withFileTypes: true }).filter((d) => !d.isDirectory() && !ignore.some((re) => re.test(d.name))).length;
          return { inbox: i.name, pending: Math.max(waiting, i.pending), done, rejected };
        });
      },
      async rejected(limit: number) {
        return [...journal.entries.values()]
          .filter((e) => e.outcome === 'rejected' && e.stage === 'published')
          .sort((a, b) => (a.atUtc < b.atUtc ? 1 : a.atUtc > b.atUtc ? -1 : 0))
          .slice(0, Math.max(0, limit))
          .map((e) => ({ fileId: e.fileId, originalName: e.name, keptAt: e.dest, reason: e.reason!, atUtc: e.atUtc }));
      },
      async detect(text: string, fileName?: string) {
        const d = detectFile(Buffer.from(text, 'utf8'), fileName);
        return d.kind === null ? { kind: null, reason: d.reason } : { kind: d.kind, format: d.format };
      },
    });
  },
  async stop() {
    // Finish the file in hand: the loop stops between files once ctx.signal is aborted.
    await Promise.all(inboxes.map((i) => i.idle()));
  },
  health() {
    const pending = inboxes.reduce((n, i) => n + i.pending, 0);
    return { status: 'ok', detail: `${inboxes.length} inbox(es), ${pending} file(s) queued`, metrics: { pending } };
  },
});
