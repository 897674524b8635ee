import { Inject, Injectable } from '@nestjs/common';
import { COURSE_CATEGORIES } from '@livepromo/contracts';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { RFM_SEGMENT_RULES, RFM_SEGMENTS, RFM_THRESHOLDS } from '../domain';
import { ProfileRepository, SegmentMember } from '../infrastructure/profile.repository';

export interface SegmentSummary {
  id: string;
  kind: 'rfm' | 'interest';
  name: string;
  rule: string;
  size: number;
}

export interface SegmentList {
  asOf: string;
  totalProfiles: number;
  segments: SegmentSummary[];
  computation: { rfm: string; interest: string; thresholds: typeof RFM_THRESHOLDS };
}

export interface SegmentPage {
  segment: string;
  asOf: string;
  members: SegmentMember[];
  nextCursor: string | null;
}

/** Parses 'rfm:<name>' or 'interest:<category>'; 404 for anything else. */
export function parseSegmentId(id: string): { kind: 'rfm' | 'interest'; name: string } {
  const [kind, name] = id.split(':', 2);
  if (kind === 'rfm' && (RFM_SEGMENTS as readonly string[]).includes(name)) return { kind, name };
  if (kind === 'interest' && (COURSE_CATEGORIES as readonly string[]).includes(name)) return { kind, name };
  throw new DomainError(ErrorCode.NotFound, `unknown segment "${id}"`, {
    details: { known: [...RFM_SEGMENTS.map((s) => `rfm:${s}`), ...COURSE_CATEGORIES.map((c) => `interest:${c}`)] },
  });
}

const encodeCursor = (userId: string) => Buffer.from(userId, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const s = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!s) throw new DomainError(ErrorCode.ValidationFailed, 'invalid cursor');
  return s;
}

/**
 * Segments are evaluated at `asOf` (default now) straight from Postgres, so a segment that
 * depends on "days since" is never stale: there is nothing precomputed to expire.
 */
@Injectable()
export class SegmentsUseCase {
  constructor(@Inject(ProfileRepository) private readonly repo: ProfileRepository) {}

  async list(tenantId: string, asOfMs: number): Promise<SegmentList> {
    const sizes = await this.repo.segmentSizes(tenantId, asOfMs);
    return {
      asOf: new Date(asOfMs).toISOString(),
      totalProfiles: sizes.total,
      segments: [
        ...RFM_SEGMENTS.map((name) => ({ id: `rfm:${name}`, kind: 'rfm' as const, name, rule: RFM_SEGMENT_RULES[name], size: sizes.rfm.get(name) ?? 0 })),
        ...COURSE_CATEGORIES.map((name) => ({
          id: `interest:${name}`,
          kind: 'interest' as const,
          name,
          rule: `top interest category is ${name}`,
          size: sizes.interest.get(name) ?? 0,
        })),
      ],
      computation: {
        rfm: 'R from days since the last paid order at asOf, F from the number of paid orders (thresholds below); segment from (R, F) by the rules listed; M is reported on profiles, not used for segments',
        interest: 'the category with the highest decayed affinity (ratios do not change with time, so the cohort is exact at any asOf)',
        thresholds: RFM_THRESHOLDS,
      },
    };
  }

  async members(tenantId: string, segmentId: string, asOfMs: number, cursor: string | undefined, limit: number): Promise<SegmentPage> {
    const segment = parseSegmentId(segmentId);
    const rows = await this.repo.segmentMembers(tenantId, segment, asOfMs, decodeCursor(cursor), limit + 1);
    const page = rows.slice(0, limit);
    return {
      segment: segmentId,
      asOf: new Date(asOfMs).toISOString(),
      members: page,
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].userId) : null,
    };
  }
}
