/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-private.h: what the parts of the similarity checker share
 * (internal to nngrade, not installed). similar.h is the contract and
 * explains the method; the parts follow its steps:
 *
 *   similar-tokens.c        1. a C source into tokens
 *   similar-fingerprints.c  2-3. k-grams, winnowing: a file's fingerprints;
 *                           4. the base code; reading the files
 *   similar-match.c         two documents' shared fingerprints and matched
 *                           lines; one exercise of a class through an
 *                           inverted index
 *   similar.c               the options and a class: nng_similar_run()
 *   similar-report.c        the Markdown report
 */
#ifndef NNG_SIMILAR_PRIVATE_H
#define NNG_SIMILAR_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "similar.h"

/* 0 when OPT makes sense, or -1 with what does not in WHY (may be NULL). */
int nng_similar_check_options(const nng_similar_options *opt, char *why, size_t why_size);

/* Grow *P (of *CAP elements of SIZE bytes) to hold at least NEED. 0, or -1
 * when out of memory (*P is then as it was). */
int nng_similar_grow(void **p, size_t *cap, size_t need, size_t size);

/* The order of two pairs in the ranking, by similarity, then by shared
 * fingerprints, the most first: -1 when A comes first, 1 when B does, 0 on
 * a tie (the caller breaks it). */
int nng_similar_rank(double similarity_a, size_t shared_a, double similarity_b,
                     size_t shared_b);

/* Is the k-gram hash H in BASE (NULL: an empty base)? */
int nng_similar_base_has(const nng_similar_base *base, uint64_t h);

/* A document of a class: a submission's file or reference code. */
typedef struct doc_entry {
  nng_similar_doc doc;
  const char *name;         /* the student's name, or the reference's label */
  size_t owner;             /* the submission's index (references: SIZE_MAX) */
  int exercise;             /* references: the exercise, 0 for all */
  int loaded;
} doc_entry;

/* Compare exercise EX: its N_SUB submissions' documents in DOCS[0..N_SUB)
 * (base removed), then N_REF references' in DOCS[N_SUB..). SIZE[d] is
 * |F(d)| less the base. Appends the kept pairs to RES (*PAIRS_CAP is the
 * room in RES->pairs) and fills in SUMMARY's idiom limit and count of
 * pairs above the threshold. 0, or -1 when out of memory. */
int nng_similar_compare_exercise(int ex, doc_entry *const *docs, size_t n_sub,
                                 size_t n_ref, const size_t *size,
                                 const nng_similar_base *base, nng_similar_result *res,
                                 nng_similar_exercise *summary, size_t *pairs_cap);

#endif /* NNG_SIMILAR_PRIVATE_H */
