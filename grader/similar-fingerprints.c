/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-fingerprints.c: a file's fingerprints and an exercise's base code
 * (steps 2 to 4 of similar.h). The k-gram hashing and the winnowing follow
 * Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
 * fingerprinting" (SIGMOD 2003); no packaged library does this, so it is
 * written out here. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "similar-private.h"

/* ===== k-grams and winnowing =====
 *
 * The hash of the k-gram at token i is Karp and Rabin's rolling hash,
 *
 *   H_i = kind_i B^(k-1) + kind_(i+1) B^(k-2) + ... + kind_(i+k-1)  (mod 2^64),
 *
 * so that H_(i+1) = (H_i - kind_i B^(k-1)) B + kind_(i+k) costs two
 * multiplications whatever k is. Winnowing takes minima, so the hash must
 * not keep the order of the kinds: each H_i goes through a mixing function
 * (splitmix64's) before it is used. */

#define ROLL_BASE 0x100000001b3ull  /* odd: invertible modulo 2^64 */

static uint64_t
mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The hashes of the N - K + 1 k-grams of T (none when N < K); the caller
 * frees them. 0, or -1 when out of memory. */
static int
kgram_hashes(const nng_similar_token *t, size_t n, size_t k, uint64_t **out,
             size_t *n_out)
{
  *out = NULL;
  *n_out = 0;
  if (n < k)
    return 0;
  size_t m = n - k + 1;
  uint64_t *h = malloc(m * sizeof *h);
  if (h == NULL)
    return -1;
  uint64_t top = 1, roll = 0;  /* top = B^(k-1) */
  for (size_t j = 0; j + 1 < k; j++)
    top *= ROLL_BASE;
  for (size_t j = 0; j < k; j++)
    roll = roll * ROLL_BASE + t[j].kind;
  h[0] = mix64(roll);
  for (size_t i = 1; i < m; i++) {
    roll = (roll - t[i - 1].kind * top) * ROLL_BASE + t[i + k - 1].kind;
    h[i] = mix64(roll);
  }
  *out = h;
  *n_out = m;
  return 0;
}

/* Winnowing: in every window of W consecutive hashes, select the smallest,
 * and record it when it is not the position recorded last. Writes the
 * positions, in order, to POS (room for M) and returns how many.
 *
 * Ties are broken as in the paper's "robust winnowing": a window keeps the
 * position its left neighbour selected when that one is still inside it and
 * still minimal; otherwise it takes the rightmost minimal hash. On a run of
 * equal hashes (a file of "; ; ; ...") this records one position per
 * window, not one per k-gram. Any tie rule keeps the guarantee: two windows
 * with the same hashes select the same smallest value.
 *
 * The selection only changes when a strictly smaller hash comes in or the
 * selected one leaves; only then is the window scanned again, so the work
 * is about M, plus W for each fingerprint recorded. */
static size_t
winnow(const uint64_t *h, size_t m, size_t w, size_t *pos)
{
  if (m == 0)
    return 0;
  if (w > m)
    w = m;  /* a short file is one window */
  size_t n_pos = 0, min = 0;
  int have = 0;
  for (size_t end = w - 1; end < m; end++) {
    size_t start = end + 1 - w;
    if (!have || min < start) {
      /* Scan the window right to left: the first strict minimum from the
       * right is the rightmost minimum. */
      min = end;
      for (size_t j = end; j-- > start;)
        if (h[j] < h[min])
          min = j;
      have = 1;
    } else if (h[end] < h[min]) {
      min = end;  /* on a tie the selection stays where it is */
    }
    if (n_pos == 0 || pos[n_pos - 1] != min)
      pos[n_pos++] = min;
  }
  return n_pos;
}

static int
cmp_fingerprint(const void *x, const void *y)
{
  const nng_similar_fingerprint *a = x, *b = y;
  if (a->hash != b->hash)
    return a->hash < b->hash ? -1 : 1;
  if (a->first_line != b->first_line)
    return a->first_line < b->first_line ? -1 : 1;
  return (a->last_line > b->last_line) - (a->last_line < b->last_line);
}

static int
cmp_u64(const void *x, const void *y)
{
  uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
  return (a > b) - (a < b);
}

static size_t
count_distinct(const nng_similar_fingerprint *fp, size_t n)
{
  size_t d = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || fp[i].hash != fp[i - 1].hash)
      d++;
  return d;
}

/* The tokens of TEXT (N bytes) into *T and *NT (*IGNORED, may be NULL: see
 * nng_similar_tokenize), and the hashes of their k-grams into *H and *M,
 * when OPT is valid. The caller frees *T and *H. 0, or -1 (nothing to
 * free) when OPT is not valid or memory runs out. */
static int
kgrams_of_text(const char *text, size_t n, const nng_similar_options *opt,
               nng_similar_token **t, size_t *nt, size_t *ignored, uint64_t **h,
               size_t *m)
{
  if (nng_similar_check_options(opt, NULL, 0) != 0)
    return -1;
  if (nng_similar_tokenize(text, n, t, nt, ignored) != 0)
    return -1;
  if (kgram_hashes(*t, *nt, opt->k, h, m) != 0) {
    free(*t);
    return -1;
  }
  return 0;
}

int
nng_similar_doc_from_text(const char *text, size_t n, const nng_similar_options *opt,
                          nng_similar_doc *doc)
{
  memset(doc, 0, sizeof *doc);
  nng_similar_token *t;
  size_t nt, ignored, m;
  uint64_t *h;
  if (kgrams_of_text(text, n, opt, &t, &nt, &ignored, &h, &m) != 0)
    return -1;
  doc->n_tokens = nt;
  doc->n_ignored = ignored;
  size_t *pos = m > 0 ? malloc(m * sizeof *pos) : NULL;
  if (m > 0 && pos == NULL) {
    free(h);
    free(t);
    return -1;
  }
  size_t np = winnow(h, m, opt->window, pos);
  if (np > opt->max_fingerprints) {
    np = opt->max_fingerprints;  /* the start of the file */
    doc->truncated = 1;
  }
  if (np > 0) {
    doc->fp = malloc(np * sizeof *doc->fp);
    if (doc->fp == NULL) {
      free(pos);
      free(h);
      free(t);
      memset(doc, 0, sizeof *doc);
      return -1;
    }
  }
  for (size_t j = 0; j < np; j++) {
    doc->fp[j].hash = h[pos[j]];
    doc->fp[j].first_line = t[pos[j]].line;
    doc->fp[j].last_line = t[pos[j] + opt->k - 1].line;
  }
  doc->n_fp = np;
  free(pos);
  free(h);
  free(t);
  if (np > 0)
    qsort(doc->fp, np, sizeof *doc->fp, cmp_fingerprint);
  doc->n_distinct = count_distinct(doc->fp, np);
  return 0;
}

void
nng_similar_doc_free(nng_similar_doc *doc)
{
  if (doc == NULL)
    return;
  free(doc->fp);
  memset(doc, 0, sizeof *doc);
}

int
nng_similar_base_from_text(const char *text, size_t n, const nng_similar_options *opt,
                           nng_similar_base *base)
{
  memset(base, 0, sizeof *base);
  nng_similar_token *t;
  size_t nt, m;
  uint64_t *h;
  if (kgrams_of_text(text, n, opt, &t, &nt, NULL, &h, &m) != 0)
    return -1;
  free(t);
  /* Every k-gram, not the winnowed ones: a submission's window may select
   * a k-gram of the stub that the stub's own windows passed over. */
  if (m > 0)
    qsort(h, m, sizeof *h, cmp_u64);
  size_t d = 0;
  for (size_t i = 0; i < m; i++)
    if (d == 0 || h[i] != h[d - 1])
      h[d++] = h[i];
  base->hashes = h;
  base->n = d;
  return 0;
}

void
nng_similar_base_free(nng_similar_base *base)
{
  if (base == NULL)
    return;
  free(base->hashes);
  memset(base, 0, sizeof *base);
}

int
nng_similar_base_has(const nng_similar_base *base, uint64_t h)
{
  if (base == NULL)
    return 0;
  size_t lo = 0, hi = base->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (base->hashes[mid] < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < base->n && base->hashes[lo] == h;
}

size_t
nng_similar_doc_remove_base(nng_similar_doc *doc, const nng_similar_base *base)
{
  size_t kept = 0, n = doc->n_fp;
  for (size_t i = 0; i < n; i++)
    if (!nng_similar_base_has(base, doc->fp[i].hash))
      doc->fp[kept++] = doc->fp[i];
  doc->n_fp = kept;
  doc->n_distinct = count_distinct(doc->fp, kept);
  return n - kept;
}

/* ===== Reading files ===== */

/* Read PATH whole into *TEXT (the caller frees it) and *N. A submission may
 * name a FIFO or a device: it is opened without blocking and refused unless
 * it is a regular file; a link is refused unless FOLLOW_LINKS. 0, or -1 with
 * the reason. */
static int
read_source(const char *path, int follow_links, char **text, size_t *n, char *why,
            size_t why_size)
{
  *text = NULL;
  *n = 0;
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow_links ? 0 : O_NOFOLLOW);
  int fd = open(path, flags);
  if (fd < 0) {
    if (errno == ELOOP)
      snprintf(why, why_size, "%s is a symbolic link: skipped", path);
    else
      snprintf(why, why_size, "cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, why_size, "%s is not a regular file: skipped", path);
    close(fd);
    return -1;
  }
  if (st.st_size > NNG_SIMILAR_MAX_BYTES) {
    snprintf(why, why_size, "%s is larger than 1 MiB (%lld bytes): skipped", path,
             (long long) st.st_size);
    close(fd);
    return -1;
  }
  /* One byte more than allowed: a file that grew since fstat is caught. */
  char *buf = malloc(NNG_SIMILAR_MAX_BYTES + 1);
  if (buf == NULL) {
    snprintf(why, why_size, "out of memory reading %s", path);
    close(fd);
    return -1;
  }
  size_t got = 0;
  while (got < NNG_SIMILAR_MAX_BYTES + 1) {
    ssize_t r = read(fd, buf + got, NNG_SIMILAR_MAX_BYTES + 1 - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      snprintf(why, why_size, "cannot read %s: %s", path, strerror(errno));
      free(buf);
      close(fd);
      return -1;
    }
    if (r == 0)
      break;
    got += (size_t) r;
  }
  close(fd);
  if (got > NNG_SIMILAR_MAX_BYTES) {
    snprintf(why, why_size, "%s is larger than 1 MiB: skipped", path);
    free(buf);
    return -1;
  }
  *text = buf;
  *n = got;
  return 0;
}

/* Read PATH (see read_source) and fingerprint it into DOC or, when DOC is
 * NULL, make BASE of it. 0, or -1 with the reason (DOC or BASE is then
 * empty). */
static int
load(const char *path, int follow_links, const nng_similar_options *opt,
     nng_similar_doc *doc, nng_similar_base *base, char *why, size_t why_size)
{
  if (doc != NULL)
    memset(doc, 0, sizeof *doc);
  else
    memset(base, 0, sizeof *base);
  if (nng_similar_check_options(opt, why, why_size) != 0)
    return -1;
  char *text;
  size_t n;
  if (read_source(path, follow_links, &text, &n, why, why_size) != 0)
    return -1;
  int status = doc != NULL ? nng_similar_doc_from_text(text, n, opt, doc)
                           : nng_similar_base_from_text(text, n, opt, base);
  free(text);
  if (status != 0)
    snprintf(why, why_size, "out of memory fingerprinting %s", path);
  return status;
}

int
nng_similar_doc_load(const char *path, int follow_links, const nng_similar_options *opt,
                     nng_similar_doc *doc, char *why, size_t why_size)
{
  return load(path, follow_links, opt, doc, NULL, why, why_size);
}

int
nng_similar_base_load(const char *path, const nng_similar_options *opt,
                      nng_similar_base *base, char *why, size_t why_size)
{
  return load(path, 1, opt, NULL, base, why, why_size);
}
