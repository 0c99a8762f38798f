## exercises/: one folder per lecture, each with a header that fixes the API,
## a file of stubs the student fills in, and a README with the task.
## `make exerciseN` grades the student's file with the public tests.

exercisesdir = $(pkgdatadir)/exercises
ex01dir = $(exercisesdir)/ex01
dist_ex01_DATA = %D%/ex01/exercise1.h %D%/ex01/exercise1.c %D%/ex01/README.md

# The exercises that exist; adding one adds its number here.
EXERCISE_NUMBERS = 1

# make exerciseN: grade exercises/exNN/exerciseN.c with the public tests.
$(EXERCISE_NUMBERS:%=exercise%): exercise%: grader/nngrade $(pkglib_LIBRARIES)
	@$(NNGRADE_IN_TREE) ./grader/nngrade check --exercise $* \
	  $(srcdir)/exercises/$$(printf 'ex%02d' $*)

# make exercises: all of them; fails when one is not at full marks.
exercises: grader/nngrade $(pkglib_LIBRARIES)
	@status=0; for n in $(EXERCISE_NUMBERS); do \
	  $(MAKE) $(AM_MAKEFLAGS) exercise$$n || status=1; \
	done; exit $$status

PHONY_TARGETS += $(EXERCISE_NUMBERS:%=exercise%) exercises
