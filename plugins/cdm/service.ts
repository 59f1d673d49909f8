import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CcsdsParseError, cdmCovarianceRtn, cdmState, writeNdm, type Cdm } from '../../sdk/ccsds';
import { keepRejectedFile, writeAtomic } from '../../sdk/files';
import { Epoch, type FrameEopValues } from '../../sdk/astro';
import type { CdmRecord } from '../../interfaces/domain/cdm';
import type { Conjunction } from '../../interfaces/domain/conjunction';
import type { Product } from '../../interfaces/domain/product';
import type { Catalog } from '../../interfaces/services/acquisition';
import type { CdmService, CollisionProbability, PcMethod } from '../../interfaces/services/collision';
import type { EopProvider } from '../../interfaces/services/reference-data';
import type { CdmConfig } from './config';
import { EventBook } from './events';
import { buildCdm, IssueError, pcMethodName, type CatalogFacts } from './issue';
import { hasItrfState, parseCdmText, recordFromCdm } from './read';

/** What the hotline needs from its surroundings (the plugin wires these to the kernel). */
export interface HotlineDeps {
  config: CdmConfig;
  productsDir: string;
  rejectedDir: string;
  book: EventBook;
  moduleName: string;
  now: () => number;
  log: { info(m: string): void; warn(m: string): void };
  publishReceived(r: CdmRecord): void;
  publishIssued(r: CdmRecord): void;
  publishProduct(p: Product): void;
  publishRejected(m: { fileId: string; originalName: string; keptAt: string; reasonFile: string; reason: string; line?: number; kind: 'CDM'; rejectedBy: string; rejectedAtUtc: string }): void;
  catalog(): Catalog | undefined;
  eop(): EopProvider | undefined;
  pc(): CollisionProbability | undefined;
}

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace('T', '_').replace(/\..*$|Z$/, '');

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export class CdmHotline implements CdmService {
  /** MESSAGE_IDs taken by issues in progress (the file is written after awaits). */
  private readonly reserved = new Set<string>();

  constructor(private readonly d: HotlineDeps) {}

  // ------------------------------------------------------------------ reading

  /** Reads, attaches to its event and publishes `cdm.received` (once per MESSAGE_ID). */
  async read(request: { text: string; fileName?: string; lenient?: boolean }): Promise<CdmRecord> {
    const file = request.fileName ?? '<cdm>';
    const { cdm, warnings } = parseCdmText(request.text, file, request.lenient ?? this.d.config.lenient);
    const eop = hasItrfState(cdm) ? await this.eopAtTca(cdm.relativeMetadata.fields.TCA, file, warnings) : undefined;
    const record = recordFromCdm(cdm, file, warnings, eop);
    const { record: attached, duplicate, event } = this.d.book.attach(record, 'received');
    if (duplicate) this.d.log.info(`${file}: CDM ${record.messageId} already received (event ${event.eventId}); not published again`);
    else {
      this.d.log.info(`${file}: CDM ${record.messageId} → event ${event.eventId} (${event.cdms.length} CDM(s))`);
      this.d.publishReceived(attached);
    }
    return attached;
  }

  /** EOP at TCA from the eop module, when it runs (ITRF states are converted with them). */
  private async eopAtTca(tca: unknown, file: string, warnings: string[]): Promise<FrameEopValues | undefined> {
    const eop = this.d.eop();
    const text = typeof tca === 'object' && tca !== null && 'text' in tca ? String((tca as { text: string }).text) : '';
    if (!eop || !text) return undefined;
    try {
      const mjd = Epoch.parse(text, 'UTC').mjd('UTC');
      const [v] = await withTimeout(eop.at([mjd]), this.d.config.pcTimeoutMs, 'eop');
      return v;
    } catch (err) {
      warnings.push(`${file}: EOP at TCA unavailable (${(err as Error).message})`);
      return undefined;
    }
  }

  /**
   * A CDM file routed by the inbox: read, or refused — kept with its reason in the rejected
   * folder and `file.rejected` published (nothing is lost).
   */
  async ingestFile(m: { fileId: string; path: string; originalName: string }): Promise<CdmRecord | undefined> {
    let reason: string;
    let line: number | undefined;
    try {
      const text = fs.readFileSync(m.path, 'utf8');
      return await this.read({ text, fileName: m.originalName });
    } catch (err) {
      if (err instanceof CcsdsParseError) {
        const errors = err.problems.filter((p) => p.severity === 'error');
        line = errors.find((p) => p.line !== undefined)?.line;
        reason = err.message;
      } else reason = `${m.originalName}: ${(err as Error).message}`;
    }
    const kept = keepRejectedFile(this.d.rejectedDir, m, reason);
    this.d.log.warn(`CDM file ${m.originalName} refused: ${reason.split('\n')[0]} (kept at ${kept.keptAt})`);
    this.d.publishRejected({
      fileId: m.fileId,
      originalName: m.originalName,
      keptAt: kept.keptAt,
      reasonFile: kept.reasonFile,
      reason,
      ...(line !== undefined && line > 0 ? { line } : {}),
      kind: 'CDM',
      rejectedBy: this.d.moduleName,
      rejectedAtUtc: new Date(this.d.now()).toISOString(),
    });
    return undefined;
  }

  // ------------------------------------------------------------------ issuing

  async issue(request: { conjunction: Conjunction; format: 'kvn' | 'xml'; originator: string; messageFor?: string }): Promise<{ record: CdmRecord; productId: string; path: string }> {
    const c = request.conjunction;
    const creation = new Date(this.d.now()).toISOString();
    const ids = [c.primary, c.secondary].map((o) => (o.noradId !== undefined ? String(o.noradId) : o.objectId.replace(/[^A-Za-z0-9-]/g, '')));
    const base = `${request.originator.replace(/[^A-Za-z0-9-]/g, '')}_${ids[0]}_conj_${ids[1]}_${compact(c.tcaUtc)}_${compact(creation)}${creation.slice(20, 23)}`;
    const ext = request.format === 'xml' ? 'xml' : 'cdm';
    fs.mkdirSync(this.d.productsDir, { recursive: true });
    // unique MESSAGE_ID and file name: a suffix when the same second and millisecond was already used
    let messageId = base;
    const taken = (id: string) => this.reserved.has(id) || fs.existsSync(path.join(this.d.productsDir, `${id}.${ext}`)) || this.d.book.findMessage(id, 'issued') !== undefined;
    for (let n = 2; taken(messageId); n++) messageId = `${base}_${n}`;
    this.reserved.add(messageId);
    try {
      return await this.issueAs(request, messageId, path.join(this.d.productsDir, `${messageId}.${ext}`), creation);
    } finally {
      this.reserved.delete(messageId);
    }
  }

  private async issueAs(
    request: { conjunction: Conjunction; format: 'kvn' | 'xml'; originator: string; messageFor?: string },
    messageId: string,
    file: string,
    creation: string,
  ): Promise<{ record: CdmRecord; productId: string; path: string }> {
    const c = request.conjunction;

    const built = buildCdm({
      conjunction: c,
      originator: request.originator,
      ...(request.messageFor ? { messageFor: request.messageFor } : {}),
      messageId,
      creationDateUtc: creation,
      models: this.d.config.defaultCovariance.regimes,
      assumedAgeDaysWhenUnknown: this.d.config.defaultCovariance.assumedAgeDaysWhenUnknown,
      catalog: await this.catalogFacts(c),
    });
    // A Pc when the conjunction has none: asked to collision-probability with the covariances
    // written (the default model included), so the CDM, its record and the event history agree.
    if (c.pc === undefined && this.d.config.computePc) {
      const pc = await this.computePc(c, built.cdm);
      if (pc) {
        built.cdm.relativeMetadata.fields.COLLISION_PROBABILITY = pc.pc;
        built.cdm.relativeMetadata.fields.COLLISION_PROBABILITY_METHOD = pc.method;
      }
    }
    const text = writeNdm(built.cdm, request.format);
    // The file must read back as a valid CDM (strict) before anyone is told about it.
    let record: CdmRecord;
    try {
      const back = parseCdmText(text, path.basename(file), false);
      record = recordFromCdm(back.cdm, path.basename(file), back.warnings);
    } catch (err) {
      throw new IssueError(`CDM for conjunction ${c.id} does not read back: ${(err as Error).message}`);
    }
    // the conjunction knows where each radius came from; the file keeps only the value
    for (const [k, o] of [['object1', c.primary], ['object2', c.secondary]] as const) {
      if (o.hardBodyRadiusM !== undefined) record[k] = { ...record[k], hardBodyRadiusM: o.hardBodyRadiusM, ...(o.hardBodyRadiusSource ? { hardBodyRadiusSource: o.hardBodyRadiusSource } : {}) };
      if (o.noradId === undefined) record[k] = { ...record[k], objectId: o.objectId };
    }
    const defaults = built.defaults.flatMap((dc, i) => (dc ? [`OBJECT${i + 1}: ${dc.regime}, age ${dc.ageDays.toFixed(2)} d`] : []));
    if (defaults.length) record.warnings = [...record.warnings, `default covariance model applied (${defaults.join('; ')})`];

    writeAtomic(file, text);
    const productId = `cdm:${messageId}`;
    record.productId = productId;
    const { record: attached, event } = this.d.book.attach(record, 'issued', { newEventId: c.id, path: file });
    const product: Product = {
      id: productId,
      kind: 'CDM',
      format: request.format,
      path: path.resolve(file),
      mediaType: request.format === 'xml' ? 'application/xml' : 'text/plain',
      sizeBytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
      createdAtUtc: creation,
      producedBy: this.d.moduleName,
      objectIds: [record.object1.objectId, record.object2.objectId],
      metadata: {
        messageId,
        eventId: event.eventId,
        conjunctionId: c.id,
        tcaUtc: c.tcaUtc,
        ...(defaults.length ? { defaultCovariance: defaults.join('; ') } : {}),
      },
    };
    this.d.publishIssued(attached);
    this.d.publishProduct(product);
    this.d.log.info(`CDM ${messageId} issued for ${c.id} → event ${event.eventId} (${path.basename(file)})`);
    return { record: attached, productId, path: product.path };
  }

  private async catalogFacts(c: Conjunction): Promise<Map<number, CatalogFacts> | undefined> {
    const catalog = this.d.catalog();
    const ids = [c.primary.noradId, c.secondary.noradId].filter((x): x is number => x !== undefined);
    if (!catalog || ids.length === 0) return undefined;
    try {
      const { found } = await withTimeout(catalog.get(ids), this.d.config.pcTimeoutMs, 'catalog');
      return new Map(found.map((e) => [e.elements.noradId, { elementEpochUtc: e.elements.epochUtc, ...(e.elements.objectId ? { internationalDesignator: e.elements.objectId } : {}), ...(e.elements.objectName ? { name: e.elements.objectName } : {}) }]));
    } catch (err) {
      this.d.log.warn(`catalog lookup for ${c.id} failed (${(err as Error).message}); CDM written without it`);
      return undefined;
    }
  }

  private async computePc(c: Conjunction, cdm: Cdm): Promise<{ pc: number; method: string } | undefined> {
    const service = this.d.pc();
    const hbr = (c.primary.hardBodyRadiusM ?? NaN) + (c.secondary.hardBodyRadiusM ?? NaN);
    if (!service || !Number.isFinite(hbr)) return undefined;
    try {
      const obj = (i: number) => {
        const s = cdmState(cdm.objects[i]);
        return { posKm: s.posKm, velKmS: s.velKmS, covRtnM2: cdmCovarianceRtn(cdm.objects[i]) };
      };
      const res = await withTimeout(
        service.compute({ inputs: [{ tcaUtc: c.tcaUtc, primary: obj(0), secondary: obj(1), hardBodyRadiusM: hbr }], methods: [this.d.config.pcMethod as PcMethod] }),
        this.d.config.pcTimeoutMs,
        'collision-probability',
      );
      const r = res[0]?.[0];
      if (!r || !Number.isFinite(r.pc)) return undefined;
      return { pc: Math.min(1, Math.max(0, r.pc)), method: pcMethodName(r.method) };
    } catch (err) {
      this.d.log.warn(`Pc for ${c.id} not computed (${(err as Error).message}); CDM written without COLLISION_PROBABILITY`);
      return undefined;
    }
  }

  // ------------------------------------------------------------------ events

  async event(eventId: string): Promise<CdmRecord[]> {
    const r = this.d.book.records(eventId);
    if (!r) throw new Error(`cdm: unknown event id '${eventId}' (${this.d.book.size} event(s) known)`);
    return r;
  }

  async events(query: { fromTcaUtc?: string; toTcaUtc?: string; noradId?: number }): Promise<{ eventId: string; tcaUtc: string; primary: string; secondary: string; cdms: number; lastPc?: number }[]> {
    const t = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : iso + 'Z');
    const from = query.fromTcaUtc ? t(query.fromTcaUtc) : -Infinity;
    const to = query.toTcaUtc ? t(query.toTcaUtc) : Infinity;
    return this.d.book
      .all()
      .filter((e) => t(e.tcaUtc) >= from && t(e.tcaUtc) <= to)
      .filter((e) => query.noradId === undefined || e.primary === String(query.noradId) || e.secondary === String(query.noradId))
      .sort((a, b) => t(a.tcaUtc) - t(b.tcaUtc))
      .map((e) => {
        const records = this.d.book.records(e.eventId)!;
        const last = records[records.length - 1];
        return {
          eventId: e.eventId,
          tcaUtc: e.tcaUtc,
          primary: e.primary,
          secondary: e.secondary,
          cdms: records.length,
          ...(last?.collisionProbability !== undefined ? { lastPc: last.collisionProbability } : {}),
        };
      });
  }
}
