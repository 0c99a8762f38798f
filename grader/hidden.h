/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hidden.h: the TA's own tests, kept from students.
 *
 * nngrade batch --hidden DIR grades with DIR's tests too. DIR has the layout
 * of the public suites: one folder per exercise (ex01/, ex02/, ...), each
 * holding C files of cmocka tests written like exercises/ex01/suite.c, with the
 * test kit (testkit.h) and the remote stubs (remote-exNN.h). One of the files
 * defines the table of tests, ended by an entry with a NULL name:
 *
 *   const nng_test nng_hidden_tests[] = {
 *     {"dot_of_long_vectors", dot_of_long_vectors, "ex1_dot", 2, "a hint"},
 *     {NULL, NULL, NULL, 0, NULL},
 *   };
 *
 * nngrade compiles each folder into a shared object in its own working
 * folder and loads it: the tests run inside nngrade, like the public ones,
 * never in the student's process. Students never see them: their code runs
 * in probes that are given only their own scratch folder.
 */
#ifndef NNG_HIDDEN_H
#define NNG_HIDDEN_H

#include <stddef.h>

#include "grade.h"
#include "state.h"

typedef struct nng_hidden {
  const nng_test *tests[NNG_MAX_EXERCISES];  /* per nng_exercises[e]; NULL: none */
  void *handles[NNG_MAX_EXERCISES];          /* from dlopen */
} nng_hidden;

/* Compile and load the suites of DIR, building in WORK (an existing folder).
 * 0, or -1 with a reason (and the compiler's messages) in WHY. */
int nng_hidden_load(nng_hidden *h, const nng_config *cfg, const char *dir,
                    const char *work, char *why, size_t why_size);

void nng_hidden_free(nng_hidden *h);

#endif /* NNG_HIDDEN_H */
