/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar.c: the similarity checker's options, and a class compared
 * exercise by exercise (see similar.h; similar-private.h says which file
 * holds which step). */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "similar-private.h"

void
nng_similar_options_default(nng_similar_options *opt)
{
  opt->k = 12;
  opt->window = 8;
  opt->threshold = 0.3;
  opt->min_shared = 3;
  opt->max_share = 0;
  opt->max_pairs = 200;
  opt->max_fingerprints = 8192;
}

int
nng_similar_check_options(const nng_similar_options *opt, char *why, size_t why_size)
{
  const char *bad = NULL;
  if (opt == NULL)
    bad = "no options given";
  else if (opt->k < 1 || opt->k > 1000)
    bad = "k (tokens in a k-gram) must be from 1 to 1000";
  else if (opt->window < 1 || opt->window > 1000)
    bad = "the winnowing window must be from 1 to 1000 k-grams";
  else if (!(opt->threshold >= 0.0 && opt->threshold <= 1.0))
    bad = "the threshold must be from 0 to 1";
  else if (opt->max_fingerprints < 1)
    bad = "max_fingerprints must be at least 1";
  if (bad != NULL && why != NULL)
    snprintf(why, why_size, "%s", bad);
  return bad == NULL ? 0 : -1;
}

int
nng_similar_grow(void **p, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap)
    return 0;
  size_t c = *cap > 0 ? *cap : 16;
  while (c < need) {
    if (c > SIZE_MAX / 2 / size)
      return -1;
    c *= 2;
  }
  void *q = realloc(*p, c * size);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

/* ===== A class =====
 *
 * Exercise by exercise: load the base code; fingerprint the submissions
 * and remove it; size the references without it; then compare the
 * exercise through its inverted index (nng_similar_compare_exercise, in
 * similar-match.c). What could not be read is noted and left out. */

/* Add a line to RES's notes. */
static void
note(nng_similar_result *res, const char *fmt, ...)
{
  char line[1600];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (len < 0)
    return;
  size_t n = strlen(line);
  /* The buffer holds a power of two bytes, at least 256, so that a class
   * of broken files costs no quadratic copying. */
  size_t cap = 256, need = res->notes_len + n + 2;
  while (cap < res->notes_len + 1)
    cap *= 2;
  char *p = res->notes;
  if (p == NULL || need > cap) {
    while (cap < need)
      cap *= 2;
    p = realloc(res->notes, cap);
    if (p == NULL)
      return;  /* a note lost to a full memory is not worth failing for */
  }
  memcpy(p + res->notes_len, line, n);
  p[res->notes_len + n] = '\n';
  p[res->notes_len + n + 1] = '\0';
  res->notes = p;
  res->notes_len += n + 1;
}

int
nng_similar_rank(double similarity_a, size_t shared_a, double similarity_b,
                 size_t shared_b)
{
  if (similarity_a != similarity_b)
    return similarity_a > similarity_b ? -1 : 1;
  if (shared_a != shared_b)
    return shared_a > shared_b ? -1 : 1;
  return 0;
}

/* Ranked: similarity, then shared, then exercise, then names. */
static int
cmp_pair(const void *x, const void *y)
{
  const nng_similar_pair *a = x, *b = y;
  int r = nng_similar_rank(a->similarity, a->shared, b->similarity, b->shared);
  if (r != 0)
    return r;
  if (a->exercise != b->exercise)
    return a->exercise < b->exercise ? -1 : 1;
  int c = strcmp(a->a, b->a);
  return c != 0 ? c : strcmp(a->b, b->b);
}

static int
cmp_int(const void *x, const void *y)
{
  int a = *(const int *) x, b = *(const int *) y;
  return (a > b) - (a < b);
}

int
nng_similar_run(const nng_similar_submission *subs, size_t n_subs,
                const nng_similar_file *bases, size_t n_bases,
                const nng_similar_reference *refs, size_t n_refs,
                const nng_similar_options *opt, nng_similar_result *res,
                char *why, size_t why_size)
{
  memset(res, 0, sizeof *res);
  if (nng_similar_check_options(opt, why, why_size) != 0)
    return -1;
  res->opt = *opt;
  int status = -1;
  char reason[1200];
  doc_entry *ref_docs = NULL, *sub_docs = NULL;
  doc_entry **docs = NULL;
  size_t *size = NULL;
  int *numbers = NULL;
  size_t n_numbers = 0, pairs_cap = 0, n_files = 0;

  /* The references, fingerprinted once for every exercise. */
  ref_docs = calloc(n_refs > 0 ? n_refs : 1, sizeof *ref_docs);
  if (ref_docs == NULL)
    goto nomem;
  for (size_t r = 0; r < n_refs; r++) {
    doc_entry *e = &ref_docs[r];
    e->name = refs[r].label != NULL ? refs[r].label : refs[r].path;
    e->owner = SIZE_MAX;
    e->exercise = refs[r].exercise;
    if (nng_similar_doc_load(refs[r].path, 1, opt, &e->doc, reason, sizeof reason) == 0)
      e->loaded = 1;
    else
      note(res, "reference %s: %s", e->name, reason);
  }

  /* The exercises the submissions answer, in order. */
  for (size_t s = 0; s < n_subs; s++)
    n_files += subs[s].n_files;
  numbers = malloc((n_files > 0 ? n_files : 1) * sizeof *numbers);
  sub_docs = calloc(n_files > 0 ? n_files : 1, sizeof *sub_docs);
  docs = malloc((n_files + n_refs > 0 ? n_files + n_refs : 1) * sizeof *docs);
  size = malloc((n_files + n_refs > 0 ? n_files + n_refs : 1) * sizeof *size);
  if (numbers == NULL || sub_docs == NULL || docs == NULL || size == NULL)
    goto nomem;
  for (size_t s = 0; s < n_subs; s++)
    for (size_t f = 0; f < subs[s].n_files; f++)
      numbers[n_numbers++] = subs[s].files[f].exercise;
  if (n_numbers > 0)
    qsort(numbers, n_numbers, sizeof *numbers, cmp_int);
  size_t u = 0;
  for (size_t i = 0; i < n_numbers; i++)
    if (u == 0 || numbers[i] != numbers[u - 1])
      numbers[u++] = numbers[i];
  n_numbers = u;
  res->exercises = calloc(n_numbers > 0 ? n_numbers : 1, sizeof *res->exercises);
  if (res->exercises == NULL)
    goto nomem;

  for (size_t e = 0; e < n_numbers; e++) {
    int ex = numbers[e];
    nng_similar_exercise *summary = &res->exercises[res->n_exercises++];
    summary->exercise = ex;

    /* Its base code. */
    nng_similar_base base = {NULL, 0};
    for (size_t b = 0; b < n_bases; b++) {
      if (bases[b].exercise != ex || bases[b].path == NULL)
        continue;
      if (nng_similar_base_load(bases[b].path, opt, &base, reason, sizeof reason) == 0)
        summary->has_base = 1;
      else
        note(res, "exercise %d: base code %s", ex, reason);
      break;
    }

    /* Its submissions: one document per file, base removed. */
    size_t n_sub = 0;
    for (size_t s = 0; s < n_subs; s++) {
      for (size_t f = 0; f < subs[s].n_files; f++) {
        if (subs[s].files[f].exercise != ex)
          continue;
        doc_entry *d = &sub_docs[n_sub];
        memset(d, 0, sizeof *d);
        d->name = subs[s].name != NULL ? subs[s].name : "(unnamed)";
        d->owner = s;
        d->exercise = ex;
        if (nng_similar_doc_load(subs[s].files[f].path, 0, opt, &d->doc, reason,
                                 sizeof reason) != 0) {
          note(res, "%s, exercise %d: %s", d->name, ex, reason);
          continue;
        }
        if (d->doc.n_ignored > 0)
          note(res, "%s, exercise %d: %zu bytes that are no part of C ignored "
               "(binary data, NUL or control characters)", d->name, ex, d->doc.n_ignored);
        if (d->doc.truncated)
          note(res, "%s, exercise %d: only the first %zu fingerprints used", d->name,
               ex, opt->max_fingerprints);
        nng_similar_doc_remove_base(&d->doc, &base);
        d->loaded = 1;
        docs[n_sub] = d;
        size[n_sub] = d->doc.n_distinct;
        n_sub++;
      }
    }

    /* Its references, sized without the base. */
    size_t n_ref = 0;
    for (size_t r = 0; r < n_refs; r++) {
      doc_entry *d = &ref_docs[r];
      if (!d->loaded || (d->exercise != 0 && d->exercise != ex))
        continue;
      size_t k = n_sub + n_ref;
      docs[k] = d;
      size_t distinct = 0;
      for (size_t i = 0; i < d->doc.n_fp; i++)
        if ((i == 0 || d->doc.fp[i].hash != d->doc.fp[i - 1].hash)
            && !nng_similar_base_has(&base, d->doc.fp[i].hash))
          distinct++;
      size[k] = distinct;
      n_ref++;
    }
    summary->n_submissions = n_sub;
    summary->n_references = n_ref;

    int st = nng_similar_compare_exercise(ex, docs, n_sub, n_ref, size, &base, res,
                                          summary, &pairs_cap);
    for (size_t d = 0; d < n_sub; d++)
      nng_similar_doc_free(&docs[d]->doc);
    nng_similar_base_free(&base);
    if (st != 0)
      goto nomem;
  }
  if (res->n_pairs > 0)
    qsort(res->pairs, res->n_pairs, sizeof *res->pairs, cmp_pair);
  status = 0;
  goto out;
nomem:
  snprintf(why, why_size, "out of memory comparing the submissions");
out:
  for (size_t r = 0; ref_docs != NULL && r < n_refs; r++)
    nng_similar_doc_free(&ref_docs[r].doc);
  free(ref_docs);
  free(sub_docs);
  free(docs);
  free(size);
  free(numbers);
  return status;
}

void
nng_similar_result_free(nng_similar_result *res)
{
  if (res == NULL)
    return;
  for (size_t i = 0; i < res->n_pairs; i++)
    nng_similar_pair_clear(&res->pairs[i]);
  free(res->pairs);
  free(res->exercises);
  free(res->notes);
  memset(res, 0, sizeof *res);
}
