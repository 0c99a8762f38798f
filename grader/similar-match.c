/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-match.c: the fingerprints two documents share and the lines they
 * match, and the pairs of one exercise of a class (see similar.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "similar-private.h"

/* ===== Comparing two documents =====
 *
 * Both fingerprint lists are sorted by hash, so one merge finds the shared
 * hashes. Each shared hash gives pairs of line spans: where its k-gram is in
 * A and where in B. A copied passage gives a chain of them: winnowing
 * records a fingerprint at least once every w k-grams, and k > w keeps the
 * k-grams of neighbouring fingerprints overlapping, so consecutive spans of
 * the passage touch, in A and in B alike. The spans are taken in the order
 * of A's lines and each joins a chain it touches on both sides; the chains
 * are the ranges reported. A passage moved elsewhere in B makes a chain of
 * its own.
 *
 * A k-gram that occurs twice ("if (a->size != b->size) GSL_ERROR(...)" in
 * two functions) gives a span for each pairing of its occurrences, and the
 * wrong pairings would show as stray ranges. So every pairing is tried (up
 * to PAIRINGS occurrences a side), the right ones join the chains of their
 * neighbours, and, the longest chains first, a chain whose lines in A or in
 * B lie inside those of a chain already kept is dropped: it is another
 * pairing of the same lines, and one is enough to show. */

/* Occurrences of a repeated k-gram paired, per side. */
#define PAIRINGS 4

/* Chains still open that a span is tried against, the latest first. */
#define OPEN_CHAINS 64

/* Says whether a shared hash is to be left out (a common idiom). */
typedef int (*skip_fn)(uint64_t hash, const void *ctx);

typedef struct chain {
  nng_similar_range r;
  size_t spans;
} chain;

static int
cmp_range(const void *x, const void *y)
{
  const nng_similar_range *a = x, *b = y;
  if (a->a_first != b->a_first)
    return a->a_first < b->a_first ? -1 : 1;
  if (a->b_first != b->b_first)
    return a->b_first < b->b_first ? -1 : 1;
  return 0;
}

/* The longest chains first. */
static int
cmp_chain(const void *x, const void *y)
{
  const chain *a = x, *b = y;
  if (a->spans != b->spans)
    return a->spans > b->spans ? -1 : 1;
  return cmp_range(&a->r, &b->r);
}

static int
touches(const nng_similar_range *c, const nng_similar_range *r)
{
  return r->a_first <= c->a_last + 1 && r->a_last + 1 >= c->a_first
         && r->b_first <= c->b_last + 1 && r->b_last + 1 >= c->b_first;
}

static int
inside(uint32_t first, uint32_t last, uint32_t outer_first, uint32_t outer_last)
{
  return first >= outer_first && last <= outer_last;
}

/* The chains of SPANS (N, sorted by cmp_range) into P's ranges: at most
 * NNG_SIMILAR_MAX_RANGES, the longest, in the order of A's lines. Frees
 * SPANS. 0, or -1 when out of memory. */
static int
chain_spans(nng_similar_range *spans, size_t n, nng_similar_pair *p)
{
  chain *c = malloc(n * sizeof *c);
  if (c == NULL) {
    free(spans);
    return -1;
  }
  size_t m = 0;
  for (size_t s = 0; s < n; s++) {
    const nng_similar_range *r = &spans[s];
    size_t q = m, tried = 0;
    while (q-- > 0 && tried++ < OPEN_CHAINS)
      if (touches(&c[q].r, r))
        break;
    if (q < m && tried <= OPEN_CHAINS && touches(&c[q].r, r)) {
      nng_similar_range *g = &c[q].r;
      if (r->a_first < g->a_first) g->a_first = r->a_first;
      if (r->a_last > g->a_last) g->a_last = r->a_last;
      if (r->b_first < g->b_first) g->b_first = r->b_first;
      if (r->b_last > g->b_last) g->b_last = r->b_last;
      c[q].spans++;
    } else {
      c[m].r = *r;
      c[m].spans = 1;
      m++;
    }
  }
  free(spans);
  /* Other pairings of lines already shown, longest chains first. */
  qsort(c, m, sizeof *c, cmp_chain);
  size_t kept = 0;
  for (size_t x = 0; x < m && kept < NNG_SIMILAR_MAX_RANGES; x++) {
    int again = 0;
    for (size_t y = 0; y < kept && !again; y++)
      again = inside(c[x].r.a_first, c[x].r.a_last, c[y].r.a_first, c[y].r.a_last)
              || inside(c[x].r.b_first, c[x].r.b_last, c[y].r.b_first, c[y].r.b_last);
    if (!again)
      c[kept++] = c[x];
  }
  nng_similar_range *out = malloc((kept > 0 ? kept : 1) * sizeof *out);
  if (out == NULL) {
    free(c);
    return -1;
  }
  for (size_t x = 0; x < kept; x++)
    out[x] = c[x].r;
  free(c);
  qsort(out, kept, sizeof *out, cmp_range);
  p->ranges = out;
  p->n_ranges = kept;
  return 0;
}

/* The shared hashes of A and B, less those SKIP says; and with RANGES, the
 * matched ranges into P. SIZE_B is B's |F| as seen here. */
static int
compare_docs(const nng_similar_doc *a, const nng_similar_doc *b, size_t size_b,
             skip_fn skip, const void *ctx, int ranges, nng_similar_pair *p)
{
  nng_similar_range *spans = NULL;
  size_t n_spans = 0, cap = 0, shared = 0;
  size_t i = 0, j = 0;
  p->ranges = NULL;
  p->n_ranges = 0;
  while (i < a->n_fp && j < b->n_fp) {
    uint64_t ha = a->fp[i].hash, hb = b->fp[j].hash;
    if (ha < hb) {
      i++;
      continue;
    }
    if (hb < ha) {
      j++;
      continue;
    }
    size_t i_end = i, j_end = j;
    while (i_end < a->n_fp && a->fp[i_end].hash == ha)
      i_end++;
    while (j_end < b->n_fp && b->fp[j_end].hash == hb)
      j_end++;
    if (skip == NULL || !skip(ha, ctx)) {
      shared++;
      for (size_t x = i; ranges && x < i_end && x < i + PAIRINGS; x++)
        for (size_t y = j; y < j_end && y < j + PAIRINGS; y++) {
          if (nng_similar_grow((void **) &spans, &cap, n_spans + 1, sizeof *spans) != 0) {
            free(spans);
            return -1;
          }
          nng_similar_range r = {a->fp[x].first_line, a->fp[x].last_line,
                                 b->fp[y].first_line, b->fp[y].last_line};
          spans[n_spans++] = r;
        }
    }
    i = i_end;
    j = j_end;
  }
  size_t size_a = a->n_distinct;
  size_t small = size_a < size_b ? size_a : size_b;
  p->shared = shared;
  p->size_a = size_a;
  p->size_b = size_b;
  p->similarity = small > 0 ? (double) shared / (double) small : 0.0;
  if (p->similarity > 1.0)
    p->similarity = 1.0;  /* B's size may leave out hashes that A holds */
  p->jaccard = size_a + size_b > shared
                 ? (double) shared / (double) (size_a + size_b - shared) : 0.0;
  if (n_spans == 0) {
    free(spans);
    return 0;
  }
  qsort(spans, n_spans, sizeof *spans, cmp_range);
  return chain_spans(spans, n_spans, p);
}

int
nng_similar_doc_compare(const nng_similar_doc *a, const nng_similar_doc *b,
                        nng_similar_pair *p)
{
  return compare_docs(a, b, b->n_distinct, NULL, NULL, 1, p);
}

void
nng_similar_pair_clear(nng_similar_pair *p)
{
  if (p == NULL)
    return;
  free(p->ranges);
  p->ranges = NULL;
  p->n_ranges = 0;
}

/* ===== The pairs of one exercise =====
 *
 * Exercise by exercise: fingerprint the submissions and remove the base
 * code; build the inverted index, one entry (hash, document) per distinct
 * hash of each document, sorted by hash, so that the documents that hold a
 * hash are one run of it (a "posting list"); then, for each submission in
 * turn, walk the posting lists of its hashes and count, per later document,
 * the hashes they share. The counts are the intersections |F(A) ∩ F(B)|,
 * found without ever comparing two documents that share nothing. Pairs
 * that pass the threshold are ranked, the best max_pairs kept, and only
 * those are compared again, fingerprint by fingerprint, for their line
 * ranges. */

typedef struct posting {
  uint64_t hash;
  uint32_t doc;             /* index into the exercise's documents */
} posting;

typedef struct group {
  uint64_t hash;
  size_t start, n;          /* its run of postings */
  size_t n_students;        /* submissions (not references) in the run */
} group;

typedef struct candidate {
  uint32_t a, b;
  size_t shared;
  double similarity, jaccard;
} candidate;

typedef struct exercise_index {
  group *groups;
  size_t n_groups;
  size_t idiom_limit;       /* in more submissions than this: an idiom */
} exercise_index;

static int
cmp_posting(const void *x, const void *y)
{
  const posting *a = x, *b = y;
  if (a->hash != b->hash)
    return a->hash < b->hash ? -1 : 1;
  return (a->doc > b->doc) - (a->doc < b->doc);
}

static const group *
find_group(const exercise_index *ix, uint64_t h)
{
  size_t lo = 0, hi = ix->n_groups;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->groups[mid].hash < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < ix->n_groups && ix->groups[lo].hash == h ? &ix->groups[lo] : NULL;
}

/* A hash held by more submissions than the limit: an idiom, not a copy. */
static int
is_common(uint64_t h, const void *ctx)
{
  const exercise_index *ix = ctx;
  const group *g = find_group(ix, h);
  return g != NULL && g->n_students > ix->idiom_limit;
}

/* The idiom limit for N_SUB submissions: OPT's, or by default the larger of
 * 10 (MOSS's default) and a quarter of the class, so that a solution that
 * went round a group of friends still shows in a large class. */
static size_t
idiom_limit(const nng_similar_options *opt, size_t n_sub)
{
  if (opt->max_share > 0)
    return opt->max_share;
  return n_sub / 4 > 10 ? n_sub / 4 : 10;
}

/* Ranked as the pairs are (nng_similar_rank), then by documents. */
static int
cmp_candidate(const void *x, const void *y)
{
  const candidate *a = x, *b = y;
  int r = nng_similar_rank(a->similarity, a->shared, b->similarity, b->shared);
  if (r != 0)
    return r;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return (a->b > b->b) - (a->b < b->b);
}

int
nng_similar_compare_exercise(int ex, doc_entry *const *docs, size_t n_sub,
                             size_t n_ref, const size_t *size,
                             const nng_similar_base *base, nng_similar_result *res,
                             nng_similar_exercise *summary, size_t *pairs_cap)
{
  const nng_similar_options *opt = &res->opt;
  size_t n_docs = n_sub + n_ref;
  posting *post = NULL;
  size_t n_post = 0, post_cap = 0;
  exercise_index ix = {NULL, 0, idiom_limit(opt, n_sub)};
  candidate *cand = NULL;
  size_t n_cand = 0, cand_cap = 0;
  uint32_t *count = NULL, *touched = NULL;
  int status = -1;

  /* The postings: each document's distinct hashes (a reference's less the
   * base, which the submissions no longer hold anyway). */
  for (size_t d = 0; d < n_docs; d++) {
    const nng_similar_doc *doc = &docs[d]->doc;
    for (size_t i = 0; i < doc->n_fp; i++) {
      if (i > 0 && doc->fp[i].hash == doc->fp[i - 1].hash)
        continue;
      if (d >= n_sub && nng_similar_base_has(base, doc->fp[i].hash))
        continue;
      if (nng_similar_grow((void **) &post, &post_cap, n_post + 1, sizeof *post) != 0)
        goto out;
      post[n_post].hash = doc->fp[i].hash;
      post[n_post].doc = (uint32_t) d;
      n_post++;
    }
  }
  if (n_post > 0)
    qsort(post, n_post, sizeof *post, cmp_posting);
  size_t groups_cap = 0;
  for (size_t i = 0; i < n_post;) {
    size_t j = i, students = 0;
    while (j < n_post && post[j].hash == post[i].hash) {
      if (post[j].doc < n_sub)
        students++;
      j++;
    }
    if (nng_similar_grow((void **) &ix.groups, &groups_cap, ix.n_groups + 1,
                         sizeof *ix.groups) != 0)
      goto out;
    group g = {post[i].hash, i, j - i, students};
    ix.groups[ix.n_groups++] = g;
    i = j;
  }

  /* One row of counts at a time: submission a against every later
   * document b. An idiom counts for no pair of submissions, but it does
   * count against a reference: a solution the whole class copied from the
   * reference is an idiom among the students and still a copy of it. The
   * references sit at the end of each posting list (their indices are the
   * largest), so skipping the students of an idiom's list is one jump. */
  count = calloc(n_docs > 0 ? n_docs : 1, sizeof *count);
  touched = malloc((n_docs > 0 ? n_docs : 1) * sizeof *touched);
  if (count == NULL || touched == NULL)
    goto out;
  for (size_t a = 0; a < n_sub; a++) {
    const nng_similar_doc *doc = &docs[a]->doc;
    size_t n_touched = 0;
    for (size_t i = 0; i < doc->n_fp; i++) {
      if (i > 0 && doc->fp[i].hash == doc->fp[i - 1].hash)
        continue;
      const group *g = find_group(&ix, doc->fp[i].hash);
      if (g == NULL)
        continue;
      size_t from = g->n_students > ix.idiom_limit ? g->start + g->n_students : g->start;
      for (size_t p = from; p < g->start + g->n; p++) {
        uint32_t b = post[p].doc;
        if (b <= a || docs[b]->owner == docs[a]->owner)
          continue;
        if (count[b]++ == 0)
          touched[n_touched++] = b;
      }
    }
    for (size_t t = 0; t < n_touched; t++) {
      uint32_t b = touched[t];
      size_t shared = count[b];
      count[b] = 0;
      size_t small = size[a] < size[b] ? size[a] : size[b];
      double sim = small > 0 ? (double) shared / (double) small : 0.0;
      if (sim > 1.0)
        sim = 1.0;
      if (shared < opt->min_shared || sim < opt->threshold)
        continue;
      if (nng_similar_grow((void **) &cand, &cand_cap, n_cand + 1, sizeof *cand) != 0)
        goto out;
      candidate c = {(uint32_t) a, b, shared, sim,
                     (double) shared / (double) (size[a] + size[b] - shared)};
      cand[n_cand++] = c;
    }
  }
  summary->n_above = n_cand;
  summary->idiom_limit = ix.idiom_limit;

  /* The best max_pairs, with their line ranges. */
  if (n_cand > 0)
    qsort(cand, n_cand, sizeof *cand, cmp_candidate);
  size_t keep = n_cand < opt->max_pairs ? n_cand : opt->max_pairs;
  if (nng_similar_grow((void **) &res->pairs, pairs_cap, res->n_pairs + keep,
                       sizeof *res->pairs) != 0)
    goto out;
  for (size_t c = 0; c < keep; c++) {
    const doc_entry *da = docs[cand[c].a], *db = docs[cand[c].b];
    nng_similar_pair *p = &res->pairs[res->n_pairs];
    memset(p, 0, sizeof *p);
    int reference = cand[c].b >= n_sub;
    if (compare_docs(&da->doc, &db->doc, size[cand[c].b], reference ? NULL : is_common,
                     &ix, 1, p) != 0)
      goto out;
    /* The index's counts are the ones ranked on; the merge agrees. */
    p->shared = cand[c].shared;
    p->similarity = cand[c].similarity;
    p->jaccard = cand[c].jaccard;
    p->size_a = size[cand[c].a];
    p->exercise = ex;
    snprintf(p->a, sizeof p->a, "%s", da->name);
    snprintf(p->b, sizeof p->b, "%s", db->name);
    p->b_is_reference = reference;
    res->n_pairs++;
  }
  status = 0;
out:
  free(post);
  free(ix.groups);
  free(cand);
  free(count);
  free(touched);
  return status;
}
