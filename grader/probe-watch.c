/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-watch.c: what the probe sees while a student's function runs
 * (see probe.h).
 *
 * Two things cannot be seen in the outputs of a call: memory it allocated
 * and never freed, and a write that GSL refused (gsl_matrix_set with an
 * index out of range reports the error and returns; the output may still
 * be right). So the probe watches the call itself.
 *
 * Memory: the probe's own malloc, calloc, realloc and free stand in for the
 * C library's, which they call (__libc_malloc and its siblings, glibc's
 * documented way to replace the allocator). Every symbol reference to malloc
 * in the student's object, in GSL and in the C library resolves to these.
 * While a call is watched, each block it allocates goes into a table (a
 * fixed array: the table itself allocates nothing), each block it frees
 * leaves it; what is left when the call returns is what it leaked. The
 * probe's own work (unpacking the request, packing the reply) happens
 * outside the watched window and is never counted.
 *
 * Errors: the probe's GSL error handler records the first GSL_EINVAL raised
 * by GSL during the watched call, with GSL's reason, file and line, and the
 * GSL function that raised it.
 * Errors the student's own code raises with GSL_ERROR, and any error outside
 * the window, only return their code, as GSL_ERROR does with the handler off.
 */
#include <config.h>

#include <dlfcn.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "probe.h"

/* glibc's allocator, under the names it keeps for those who replace it. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

/* ===== The table of live blocks ===== */

/* Open addressing on the block's address; a freed slot becomes a tombstone
 * so that later lookups go on past it. The table is emptied before each
 * request. A call that makes more blocks than it holds (3/4 of the slots)
 * is followed no further: the counts are then a lower bound. */
#define WATCH_BITS 15
#define WATCH_SLOTS (1u << WATCH_BITS)
#define TOMBSTONE ((void *) 1)

static struct {
  void *p;      /* the block, NULL (never used) or TOMBSTONE (freed) */
  size_t size;  /* the bytes asked for */
} slots[WATCH_SLOTS];
static size_t slots_used;     /* slots not NULL */
static int watching;          /* a student's call is running */
static int64_t leaked_bytes, leaked_blocks;
static int complete = 1;

static size_t
slot_of(const void *p)
{
  return (size_t) ((((uint64_t) (uintptr_t) p >> 4) * UINT64_C(0x9E3779B97F4A7C15))
                   >> (64 - WATCH_BITS));
}

static void
track(void *p, size_t size)
{
  if (!watching || p == NULL)
    return;
  if (slots_used >= WATCH_SLOTS / 4 * 3) {
    complete = 0;
    return;
  }
  size_t i = slot_of(p);
  while (slots[i].p != NULL && slots[i].p != TOMBSTONE)
    i = (i + 1) & (WATCH_SLOTS - 1);
  if (slots[i].p == NULL)
    slots_used++;
  slots[i].p = p;
  slots[i].size = size;
  leaked_bytes += (int64_t) size;
  leaked_blocks++;
}

static void
untrack(void *p)
{
  if (slots_used == 0 || p == NULL)
    return;
  for (size_t i = slot_of(p); slots[i].p != NULL; i = (i + 1) & (WATCH_SLOTS - 1))
    if (slots[i].p == p) {
      slots[i].p = TOMBSTONE;
      leaked_bytes -= (int64_t) slots[i].size;
      leaked_blocks--;
      return;
    }
}

void *
malloc(size_t size)
{
  void *p = __libc_malloc(size);
  track(p, size);
  return p;
}

void *
calloc(size_t n, size_t size)
{
  void *p = __libc_calloc(n, size);
  track(p, n * size);  /* no overflow: calloc refused it */
  return p;
}

void *
realloc(void *p, size_t size)
{
  void *q = __libc_realloc(p, size);
  if (q != NULL || size == 0) {  /* p is gone (moved, or freed by size 0) */
    untrack(p);
    track(q, size);
  }
  return q;
}

void
free(void *p)
{
  untrack(p);
  __libc_free(p);
}

/* ===== GSL errors ===== */

static struct {
  char function[64], reason[160], file[160];
  int line, gsl_errno;
} seen;

/* Where the probe's text lies: the student's code is linked into it. */
static const void *probe_base;

/* The place (file, line) from which each of GSL's index-checking functions
 * reports an index out of range. The probe learns them at start by calling
 * each function with a bad index, because the stack cannot tell: GSL's
 * accessors call gsl_error as their last act, so the compiler may jump to it
 * and leave no frame of their own. */
#define MAX_KNOWN 24
static struct {
  const char *function;
  char file[64];  /* the base name */
  int line;
} known[MAX_KNOWN];
static size_t n_known;
static struct { char file[64]; int line; } provoked;
static int calibrating;

static const char *
base_name(const char *file)
{
  const char *slash = strrchr(file, '/');
  return slash != NULL ? slash + 1 : file;
}

static void
learn(const char *function)
{
  if (provoked.line > 0 && n_known < MAX_KNOWN) {
    known[n_known].function = function;
    snprintf(known[n_known].file, sizeof known[n_known].file, "%s", provoked.file);
    known[n_known].line = provoked.line;
    n_known++;
  }
  provoked.line = 0;
}

static void
calibrate(void)
{
  gsl_vector *v = gsl_vector_alloc(1);
  gsl_matrix *m = gsl_matrix_alloc(1, 1);
  if (v == NULL || m == NULL)
    goto out;
  calibrating = 1;
  (void) gsl_vector_get(v, 1);              learn("gsl_vector_get");
  gsl_vector_set(v, 1, 0.0);                learn("gsl_vector_set");
  (void) gsl_vector_ptr(v, 1);              learn("gsl_vector_ptr");
  (void) gsl_vector_const_ptr(v, 1);        learn("gsl_vector_const_ptr");
  (void) gsl_matrix_get(m, 1, 0);           learn("gsl_matrix_get");
  (void) gsl_matrix_get(m, 0, 1);           learn("gsl_matrix_get");
  gsl_matrix_set(m, 1, 0, 0.0);             learn("gsl_matrix_set");
  gsl_matrix_set(m, 0, 1, 0.0);             learn("gsl_matrix_set");
  (void) gsl_matrix_ptr(m, 1, 0);           learn("gsl_matrix_ptr");
  (void) gsl_matrix_ptr(m, 0, 1);           learn("gsl_matrix_ptr");
  (void) gsl_matrix_const_ptr(m, 1, 0);     learn("gsl_matrix_const_ptr");
  (void) gsl_matrix_const_ptr(m, 0, 1);     learn("gsl_matrix_const_ptr");
  (void) gsl_matrix_row(m, 1);              learn("gsl_matrix_row");
  (void) gsl_matrix_column(m, 1);           learn("gsl_matrix_column");
  (void) gsl_vector_subvector(v, 1, 1);     learn("gsl_vector_subvector");
  (void) gsl_matrix_submatrix(m, 1, 0, 1, 1); learn("gsl_matrix_submatrix");
  calibrating = 0;
out:
  gsl_vector_free(v);
  gsl_matrix_free(m);
}

/* Which GSL function raised an error at (FILE, LINE), into FUNCTION.
 * Returns 1 when GSL raised it, 0 when the student's own code did (with
 * GSL_ERROR). Known places first; then the stack: the first frame above
 * gsl_error in a shared library with a name starting with "gsl_"; then the
 * file: a GSL header (an accessor inlined with HAVE_INLINE). */
static int
raised_by_gsl(const char *file, int line, char *function, size_t size)
{
  const char *base = base_name(file);
  for (size_t k = 0; k < n_known; k++)
    if (known[k].line == line && strcmp(known[k].file, base) == 0) {
      snprintf(function, size, "%s", known[k].function);
      return 1;
    }
  void *frames[8];
  int n = backtrace(frames, 8);
  for (int k = 1; k < n; k++) {
    Dl_info info;
    if (dladdr(frames[k], &info) == 0 || info.dli_fbase == probe_base
        || info.dli_sname == NULL)
      continue;
    if (strncmp(info.dli_sname, "gsl_", 4) == 0 && strcmp(info.dli_sname, "gsl_error") != 0) {
      snprintf(function, size, "%s", info.dli_sname);
      return 1;
    }
  }
  if (strncmp(base, "gsl_", 4) == 0) {
    snprintf(function, size, "a function of %s", base);
    return 1;
  }
  return 0;
}

static void
on_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
  if (file == NULL)
    file = "";
  if (calibrating) {
    snprintf(provoked.file, sizeof provoked.file, "%s", base_name(file));
    provoked.line = line;
    return;
  }
  if (!watching || seen.gsl_errno != 0 || gsl_errno != GSL_EINVAL)
    return;
  watching = 0;  /* nothing done here is the student's (backtrace() may
                  * load the unwinder) */
  char function[64];
  if (raised_by_gsl(file, line, function, sizeof function)) {
    snprintf(seen.function, sizeof seen.function, "%s", function);
    snprintf(seen.reason, sizeof seen.reason, "%s", reason != NULL ? reason : "");
    snprintf(seen.file, sizeof seen.file, "%s", file);
    seen.line = line;
    seen.gsl_errno = gsl_errno;
  }
  watching = 1;
}

/* ===== The watch ===== */

void
nng_probe_watch_init(void)
{
  /* A student's GSL_ERROR must return its code, not abort the probe. */
  gsl_set_error_handler(on_gsl_error);
  Dl_info info;
  if (dladdr((const void *) nng_probe_watch_init, &info) != 0)
    probe_base = info.dli_fbase;
  calibrate();
}

void
nng_probe_watch_reset(void)
{
  if (slots_used > 0)
    memset(slots, 0, sizeof slots);
  slots_used = 0;
  leaked_bytes = leaked_blocks = 0;
  complete = 1;
  memset(&seen, 0, sizeof seen);
}

void
nng_probe_watch_begin(void)
{
  /* The student's code may have replaced it in an earlier call. */
  gsl_set_error_handler(on_gsl_error);
  watching = 1;
}

int
nng_probe_watch_end(int status)
{
  watching = 0;
  return status;
}

void
nng_probe_watch_append(nng_msg *rep)
{
  int64_t start = (int64_t) rep->len;
  nng_msg_put_string(rep, seen.function);
  nng_msg_put_string(rep, seen.reason);
  nng_msg_put_string(rep, seen.file);
  nng_msg_put_int(rep, seen.line);
  nng_msg_put_int(rep, seen.gsl_errno);
  nng_msg_put_int(rep, leaked_bytes);
  nng_msg_put_int(rep, leaked_blocks);
  nng_msg_put_int(rep, complete);
  nng_msg_put_int(rep, start);
}
