/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar.h: how much two submissions have in common (nngrade similar).
 *
 * A copied solution usually hides behind new names, new comments and a new
 * layout. None of these change the sequence of things the program does, so
 * the comparison looks at that sequence and nothing else. The method is the
 * one of MOSS, from the published paper: S. Schleimer, D. S. Wilkerson and
 * A. Aiken, "Winnowing: local algorithms for document fingerprinting",
 * SIGMOD 2003. It is written here by hand, in four steps.
 *
 * 1. Tokens. The source becomes a stream of tokens, each with its line.
 *    Comments, white space, braces and #include lines are dropped. Every
 *    string literal becomes STRING, every character literal CHAR, every
 *    number NUMBER. A name the student chose (a variable, a parameter, a
 *    helper function, a macro of their own) becomes IDENT: renaming it
 *    changes nothing. A name the student cannot rename keeps its spelling:
 *    the C keywords, the names of the course's and GSL's API (gsl_*, GSL_*,
 *    cblas_*, nn_*, exN_*, EXN_*), the C library's types and macros
 *    (size_t, NULL) and its functions where they are called (sqrt(...)),
 *    and struct members after -> or . (x->size, W->size2, layer->W: the
 *    structs of GSL and of the exercise's header). Which of these a
 *    solution uses is what tells two honest solutions apart: one loops over
 *    gsl_vector_get, another walks x->data with x->stride. The qualifiers
 *    a formatter or a one-word edit adds or removes (const, static, inline,
 *    register, restrict, volatile) are dropped with the braces, so that
 *    clang-format's InsertBraces or a moved const hide nothing.
 *
 * 2. k-grams. Every run of k consecutive tokens (default 12) is hashed to
 *    64 bits. Two files that share a passage of k tokens or more share the
 *    hash of each k-gram in it; a coincidence shorter than k tokens (a
 *    "for (i = 0; i < n; i++)") never matches on its own: k is the noise
 *    threshold.
 *
 * 3. Winnowing. Keeping every hash would make the index as large as the
 *    sources; keeping every p-th would miss a passage that moved by one
 *    token. Winnowing slides a window over w consecutive k-gram hashes
 *    (default 8) and keeps, in each window, the smallest hash (on a tie,
 *    the one the window before kept if it is still inside, else the
 *    rightmost: the paper's "robust winnowing", which keeps a run of equal
 *    k-grams from flooding the index). The paper proves two things: a
 *    passage that two files share and that is at least t = w + k - 1
 *    tokens long (19 by default) is always caught, since some window falls
 *    inside it and both files select the same minimum there; and the
 *    selection depends only on the neighbourhood of each position, so it
 *    survives moved, inserted and deleted code. About 2/(w + 1) of the
 *    k-grams are kept. The set of kept hashes is the file's fingerprint F.
 *
 * 4. Base code and common code. Every student starts from the shipped stub
 *    of the exercise (exercises/exNN/exerciseN.c): its function headers
 *    alone would make every pair look alike. Every k-gram hash of the stub
 *    (all of them, not only the winnowed ones, so that no window position
 *    lets one slip through) is removed from each submission's fingerprint
 *    before anything is compared, as MOSS's -b option does. For the same
 *    reason a passage found in more submissions of the same exercise than
 *    the idiom limit (max_share; by default the larger of 10, MOSS's -m,
 *    and a quarter of the submissions) is taken for a common idiom: it
 *    counts for no pair of submissions, since it says nothing of who copied
 *    from whom. It still counts against the reference code (a class that
 *    copied the reference solution shares it with the reference), and in
 *    the sizes below, so that a submission made only of idioms does not
 *    jump to 100%.
 *
 * Scores. For fingerprints F(A) and F(B), with shared = |F(A) ∩ F(B)|:
 *
 *   similarity = shared / min(|F(A)|, |F(B)|)     the ranking
 *   jaccard    = shared / |F(A) ∪ F(B)|           shown next to it
 *
 * The ranking uses the first: a submission copied into a longer one scores
 * 100% even though the longer one has more of its own. Jaccard tells the two
 * cases apart. The matched passages are reported as line ranges of A and B
 * that a TA can open side by side; since only the winnowed k-grams are
 * seen, a range may stop a few tokens short of the ends of a passage.
 *
 * A class. nng_similar_run() takes the submissions (a name and one file per
 * exercise), the base code of each exercise and the reference code (the
 * library's lib/ sources and the reference solutions, when available), and
 * for each exercise compares every pair of submissions and every submission
 * with every reference. Pairs are not compared one by one: an inverted
 * index maps each fingerprint to the documents that hold it, and each
 * submission adds one to its count with every document in the lists of its
 * fingerprints. The work is then proportional to the fingerprints that are
 * actually shared: per fingerprint, at most the idiom limit of submissions
 * plus the references. Only the pairs at or above the threshold are kept,
 * at most max_pairs per exercise, ranked.
 *
 * Bounds: a file larger than 1 MiB is skipped with a note; a document keeps
 * at most max_fingerprints fingerprints (default 8192, some 35000 tokens);
 * files are read whole, once, and the documents of one exercise at a time
 * are in memory (with the references). Any bytes are accepted: a NUL,
 * binary junk or an unterminated comment or string only makes tokens that
 * match nothing, and the count of bytes that are no part of C is noted.
 *
 * Call order, for a class:
 *
 *   nng_similar_options opt;
 *   nng_similar_options_default(&opt);           then change what you need
 *   nng_similar_result res;
 *   if (nng_similar_run(subs, n_subs, bases, n_bases, refs, n_refs, &opt,
 *                       &res, why, sizeof why) == 0)
 *     nng_similar_report_write(stdout, &res);
 *   nng_similar_result_free(&res);               also after a failed run
 *
 * and for two texts: nng_similar_doc_from_text() (or _load()) for each,
 * nng_similar_base_from_text() and nng_similar_doc_remove_base() for the
 * base code, nng_similar_doc_compare(), then the _free()s.
 */
#ifndef NNG_SIMILAR_H
#define NNG_SIMILAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest file compared; a larger one is skipped with a note. */
#define NNG_SIMILAR_MAX_BYTES (1 << 20)

/* ===== Options ===== */

typedef struct nng_similar_options {
  size_t k;                 /* tokens in a k-gram, the noise threshold (12) */
  size_t window;            /* w, k-grams in a winnowing window (8) */
  double threshold;         /* report pairs with similarity >= this, 0..1 (0.3) */
  size_t min_shared;        /* ... and at least this many shared fingerprints (3) */
  size_t max_share;         /* the idiom limit: a fingerprint in more submissions
                               of an exercise than this counts for no pair of
                               submissions; 0: the larger of 10 and a quarter
                               of the submissions (default); SIZE_MAX: none */
  size_t max_pairs;         /* pairs kept per exercise, the most similar (200) */
  size_t max_fingerprints;  /* fingerprints kept per document (8192) */
} nng_similar_options;

/* The defaults above. */
void nng_similar_options_default(nng_similar_options *opt);

/* ===== Tokens ===== */

/* The kinds every abstracted token gets. Every other kind (a keyword, an
 * operator, a kept name, a directive) is a hash of its spelling, at least
 * 0x10000000. */
enum {
  NNG_SIMILAR_IDENT = 1,    /* a name the student chose */
  NNG_SIMILAR_NUMBER = 2,   /* 0, 2.5e-3, 0x1F */
  NNG_SIMILAR_STRING = 3,   /* "..." (adjacent literals make one token) */
  NNG_SIMILAR_CHAR = 4      /* 'x' */
};

typedef struct nng_similar_token {
  uint32_t kind;            /* NNG_SIMILAR_IDENT ... or a spelling's hash */
  uint32_t line;            /* the line it starts on, from 1 */
} nng_similar_token;

/* The tokens of TEXT (N bytes, any bytes, no terminating NUL needed), as
 * described above. Sets *TOKENS (free() it; NULL when there are none) and
 * *N_TOKENS; *N_IGNORED (may be NULL) gets the number of bytes that are no
 * part of a C token (control characters, NULs, stray @ or `). 0, or -1
 * when out of memory. */
int nng_similar_tokenize(const char *text, size_t n, nng_similar_token **tokens,
                         size_t *n_tokens, size_t *n_ignored);

/* ===== Documents ===== */

typedef struct nng_similar_fingerprint {
  uint64_t hash;            /* of the k-gram's token kinds */
  uint32_t first_line;      /* the lines the k-gram spans */
  uint32_t last_line;
} nng_similar_fingerprint;

/* One file, fingerprinted. */
typedef struct nng_similar_doc {
  nng_similar_fingerprint *fp;  /* chosen by winnowing; sorted by hash, then line */
  size_t n_fp;
  size_t n_distinct;        /* distinct hashes in fp: |F| */
  size_t n_tokens;          /* the file's tokens */
  size_t n_ignored;         /* bytes that are no part of C */
  int truncated;            /* 1: more than max_fingerprints, the first kept */
} nng_similar_doc;

/* Fingerprint TEXT (N bytes) into DOC. 0, or -1 when out of memory or OPT
 * is not valid (DOC is then empty). Release DOC with nng_similar_doc_free(). */
int nng_similar_doc_from_text(const char *text, size_t n,
                              const nng_similar_options *opt, nng_similar_doc *doc);

/* Fingerprint the file PATH into DOC. A symbolic link is refused unless
 * FOLLOW_LINKS (submissions are not trusted; the installed references may be
 * links); so is anything but a regular file of at most 1 MiB. 0, or -1 with
 * the reason in WHY (DOC is then empty). */
int nng_similar_doc_load(const char *path, int follow_links,
                         const nng_similar_options *opt, nng_similar_doc *doc,
                         char *why, size_t why_size);

/* Accepts an empty or freed document. */
void nng_similar_doc_free(nng_similar_doc *doc);

/* The base code of an exercise: every k-gram hash of its stub. */
typedef struct nng_similar_base {
  uint64_t *hashes;         /* sorted, distinct */
  size_t n;
} nng_similar_base;

/* The base of TEXT (N bytes). 0, or -1 when out of memory or OPT is not
 * valid. Release with nng_similar_base_free(). */
int nng_similar_base_from_text(const char *text, size_t n,
                               const nng_similar_options *opt, nng_similar_base *base);

/* The base of the file PATH (links followed). 0, or -1 with the reason. */
int nng_similar_base_load(const char *path, const nng_similar_options *opt,
                          nng_similar_base *base, char *why, size_t why_size);

/* Accepts an empty or freed base. */
void nng_similar_base_free(nng_similar_base *base);

/* Remove from DOC every fingerprint whose k-gram is in BASE. Returns the
 * number removed. */
size_t nng_similar_doc_remove_base(nng_similar_doc *doc, const nng_similar_base *base);

/* ===== Pairs ===== */

/* A passage of A and where it is in B: lines first..last, from 1. */
typedef struct nng_similar_range {
  uint32_t a_first, a_last;
  uint32_t b_first, b_last;
} nng_similar_range;

/* Ranges kept per pair, in the order of A's lines. */
#define NNG_SIMILAR_MAX_RANGES 64

typedef struct nng_similar_pair {
  int exercise;             /* the exercise's number */
  char a[256];              /* a submission's name */
  char b[256];              /* another submission's name, or a reference's label */
  int b_is_reference;       /* 1 when B is reference code */
  double similarity;        /* shared / min(size_a, size_b): the ranking */
  double jaccard;           /* shared / (size_a + size_b - shared) */
  size_t shared;            /* fingerprints A and B share (common ones left out) */
  size_t size_a, size_b;    /* |F(A)| and |F(B)|, base code removed */
  nng_similar_range *ranges;  /* the matched passages (may be NULL) */
  size_t n_ranges;
} nng_similar_pair;

/* Compare A and B (their base code already removed) and fill in P's scores,
 * sizes and ranges; P's exercise and names are left as they are. 0, or -1
 * when out of memory. Release P's ranges with nng_similar_pair_clear(). */
int nng_similar_doc_compare(const nng_similar_doc *a, const nng_similar_doc *b,
                            nng_similar_pair *p);

/* Free P's ranges (P itself may be on the stack). */
void nng_similar_pair_clear(nng_similar_pair *p);

/* ===== A class ===== */

/* One file of a submission: its exercise's number and where it is. */
typedef struct nng_similar_file {
  int exercise;
  const char *path;
} nng_similar_file;

/* A student's work: one file per exercise found (nng_find_source). */
typedef struct nng_similar_submission {
  const char *name;
  const nng_similar_file *files;
  size_t n_files;
} nng_similar_submission;

/* Reference code: compared with every submission of its exercise, or of
 * every exercise when EXERCISE is 0 (the library's sources, lib/NAME.c). */
typedef struct nng_similar_reference {
  const char *label;        /* what the report calls it: "lib/linalg.c" */
  const char *path;
  int exercise;
} nng_similar_reference;

/* What one exercise's comparison covered. */
typedef struct nng_similar_exercise {
  int exercise;
  size_t n_submissions;     /* files fingerprinted */
  size_t n_references;
  int has_base;             /* its base code was removed */
  size_t idiom_limit;       /* the max_share used (SIZE_MAX: none) */
  size_t n_above;           /* pairs at or above the threshold (some maybe not kept) */
} nng_similar_exercise;

typedef struct nng_similar_result {
  nng_similar_options opt;  /* as used */
  nng_similar_pair *pairs;  /* the most similar first */
  size_t n_pairs;
  nng_similar_exercise *exercises;  /* by number */
  size_t n_exercises;
  char *notes;              /* files skipped and the like, a line each (or NULL) */
  size_t notes_len;
} nng_similar_result;

/* Compare the class. SUBS are the submissions; BASES the stub of each
 * exercise (exercise 0 is not used; an exercise without one is compared
 * with its stub's code in); REFS the reference code. A file that cannot be
 * read is noted in the result and left out. 0, or -1 with the reason in WHY
 * when OPT is not valid or memory runs out. Release RES with
 * nng_similar_result_free() in both cases. */
int nng_similar_run(const nng_similar_submission *subs, size_t n_subs,
                    const nng_similar_file *bases, size_t n_bases,
                    const nng_similar_reference *refs, size_t n_refs,
                    const nng_similar_options *opt, nng_similar_result *res,
                    char *why, size_t why_size);

/* The report, Markdown: what was compared, then one table row per pair
 * (rank, exercise, A, B, similarity, Jaccard, shared, matched lines), then
 * the notes. */
void nng_similar_report_write(FILE *f, const nng_similar_result *res);

void nng_similar_result_free(nng_similar_result *res);

#endif /* NNG_SIMILAR_H */
