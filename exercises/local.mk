# SPDX-License-Identifier: GPL-3.0-or-later
## exercises/: one folder per exercise, exNN/, which holds all about it:
##   exerciseN.h   the header students read: the functions they write
##   exerciseN.c   the stubs they fill in
##   README.md     the task
##   suite.c       the public tests nngrade grades with
##   calls         the calls nngrade may make in a probe (grader/calls.awk)
##   hooks.c       what the table of calls cannot say, when there is any
## and one line in exercises/registry. Everything else (nngrade's table,
## the probe's glue, the targets below, installation) follows from those.

EXERCISE_NUMBERS := $(shell sed -n 's/^[ \t]*\([0-9][0-9]*\)[ \t]*|.*/\1/p' $(top_srcdir)/exercises/registry)
EXERCISE_FOLDERS := $(shell sed -n 's/^[ \t]*\([0-9]\)[ \t]*|.*/ex0\1/p; s/^[ \t]*\([0-9][0-9]\)[ \t]*|.*/ex\1/p' \
	$(top_srcdir)/exercises/registry)

# Distributed whole; students get them installed (without suite, calls and
# hooks, which are the grader's).
EXTRA_DIST += %D%/registry $(EXERCISE_FOLDERS:%=%D%/%)
exercisesdir = $(pkgdatadir)/exercises
install-data-local: install-exercises
install-exercises:
	@for d in $(EXERCISE_FOLDERS); do \
	  $(MKDIR_P) "$(DESTDIR)$(exercisesdir)/$$d" || exit 1; \
	  for f in $(srcdir)/exercises/$$d/exercise*.[ch] $(srcdir)/exercises/$$d/README.md; do \
	    echo " $(INSTALL_DATA) $$f '$(DESTDIR)$(exercisesdir)/$$d'"; \
	    $(INSTALL_DATA) "$$f" "$(DESTDIR)$(exercisesdir)/$$d" || exit 1; \
	  done; \
	done
uninstall-local: uninstall-exercises
uninstall-exercises:
	@for d in $(EXERCISE_FOLDERS); do \
	  for f in $(srcdir)/exercises/$$d/exercise*.[ch] $(srcdir)/exercises/$$d/README.md; do \
	    rm -f "$(DESTDIR)$(exercisesdir)/$$d/$${f##*/}"; \
	  done; \
	done
PHONY_TARGETS += install-exercises uninstall-exercises

# make exerciseN: grade exercises/exNN/exerciseN.c with the public tests.
$(EXERCISE_NUMBERS:%=exercise%): exercise%: grader/nngrade $(EXERCISE_PROBE_LIBS)
	@$(NNGRADE_IN_TREE) ./grader/nngrade check --exercise $* \
	  $(srcdir)/exercises/$$(printf 'ex%02d' $*)

# make exercises: all of them; fails when one is not at full marks.
exercises: grader/nngrade $(EXERCISE_PROBE_LIBS)
	@status=0; for n in $(EXERCISE_NUMBERS); do \
	  $(MAKE) $(AM_MAKEFLAGS) exercise$$n || status=1; \
	done; exit $$status

PHONY_TARGETS += $(EXERCISE_NUMBERS:%=exercise%) exercises
