/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-report.c: the report of nngrade similar, in Markdown (see
 * similar.h). */
#include <config.h>

#include <string.h>

#include "similar-private.h"

/* ===== The report ===== */

/* A name in a Markdown table cell: no bar, no line break, no control
 * character (names come from the submissions' files). */
static void
put_cell(FILE *f, const char *s)
{
  for (size_t i = 0; s[i] != '\0' && i < 200; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c == '|')
      fputs("\\|", f);
    else if (c < 0x20 || c == 0x7f)
      fputc('?', f);
    else
      fputc(c, f);
  }
}

void
nng_similar_report_write(FILE *f, const nng_similar_result *res)
{
  const nng_similar_options *opt = &res->opt;
  fprintf(f, "# Similar submissions\n\n");
  fprintf(f,
          "Per exercise: every pair of submissions, and every submission against\n"
          "the course's reference code. Names, literals, comments and layout do\n"
          "not count, only the sequence of keywords, operators and API calls.\n\n");
  fprintf(f,
          "- Similarity: shared fingerprints / the fingerprints of the smaller of\n"
          "  the two (%zu-token k-grams, winnowing window %zu: a common passage of\n"
          "  %zu tokens or more is always found). Jaccard: shared / all of both.\n",
          opt->k, opt->window, opt->k + opt->window - 1);
  fprintf(f, "- Left out: the exercise's stub (base code); and between two\n"
          "  submissions, the passages that more submissions share than the\n"
          "  idiom limit in the table (common idioms; they still count against\n"
          "  the reference code)");
  fprintf(f, ".\n- Listed: %.0f%% or more, with %zu or more shared fingerprints; at most\n"
          "  %zu pairs per exercise.\n", 100.0 * opt->threshold, opt->min_shared,
          opt->max_pairs);
  fprintf(f, "- Matched lines: lines of A ~ the lines of B they match. A range may\n"
          "  stop a few tokens short of the ends of a copied passage.\n\n");

  fprintf(f, "| Exercise | Submissions | References | Base code removed | Idiom limit "
          "| Pairs listed |\n");
  fprintf(f, "|---:|---:|---:|:---:|---:|---:|\n");
  for (size_t e = 0; e < res->n_exercises; e++) {
    const nng_similar_exercise *x = &res->exercises[e];
    size_t listed = x->n_above < opt->max_pairs ? x->n_above : opt->max_pairs;
    fprintf(f, "| %d | %zu | %zu | %s | ", x->exercise, x->n_submissions,
            x->n_references, x->has_base ? "yes" : "no");
    if (x->idiom_limit == SIZE_MAX)
      fprintf(f, "none");
    else
      fprintf(f, "%zu", x->idiom_limit);
    fprintf(f, " | %zu", listed);
    if (listed < x->n_above)
      fprintf(f, " of %zu", x->n_above);
    fprintf(f, " |\n");
  }
  fputc('\n', f);

  if (res->n_pairs == 0) {
    fprintf(f, "No pair reaches the threshold.\n");
  } else {
    fprintf(f, "| Rank | Exercise | A | B | Similarity | Jaccard | Shared "
            "| Matched lines (A ~ B) |\n");
    fprintf(f, "|---:|---:|---|---|---:|---:|---:|---|\n");
    for (size_t i = 0; i < res->n_pairs; i++) {
      const nng_similar_pair *p = &res->pairs[i];
      fprintf(f, "| %zu | %d | ", i + 1, p->exercise);
      put_cell(f, p->a);
      fputs(" | ", f);
      put_cell(f, p->b);
      if (p->b_is_reference)
        fputs(" (reference)", f);
      fprintf(f, " | %.0f%% | %.0f%% | %zu/%zu | ", 100.0 * p->similarity,
              100.0 * p->jaccard, p->shared,
              p->size_a < p->size_b ? p->size_a : p->size_b);
      size_t shown = p->n_ranges < 6 ? p->n_ranges : 6;
      for (size_t r = 0; r < shown; r++) {
        const nng_similar_range *g = &p->ranges[r];
        fprintf(f, "%s%u-%u ~ %u-%u", r > 0 ? "; " : "", (unsigned) g->a_first,
                (unsigned) g->a_last, (unsigned) g->b_first, (unsigned) g->b_last);
      }
      if (p->n_ranges > shown)
        fprintf(f, "; +%zu more", p->n_ranges - shown);
      fputs(" |\n", f);
    }
  }
  if (res->notes != NULL && res->notes_len > 0) {
    fprintf(f, "\n## Notes\n\n");
    const char *s = res->notes;
    while (*s != '\0') {
      const char *nl = strchr(s, '\n');
      size_t len = nl != NULL ? (size_t) (nl - s) : strlen(s);
      fputs("- ", f);
      for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) s[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
      }
      fputc('\n', f);
      s += len + (nl != NULL ? 1 : 0);
    }
  }
}
