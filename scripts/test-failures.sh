#!/usr/bin/env bash
# Prints each failed test of this run with the start of its message, read from the .trx files that `dotnet test`
# wrote, so that a log's tail (CI shows only the last lines) says why a test failed, not only which.
#   scripts/test-failures.sh RESULTS_DIR STAMP_FILE [MAX]
# Only .trx files newer than STAMP_FILE are read (the results folder keeps earlier runs). At most MAX failures (8).
# Plain awk, so that it runs on a fresh machine with nothing installed.
set -uo pipefail

dir="$1"
stamp="$2"
max="${3:-8}"

find "$dir" -maxdepth 1 -name '*.trx' -newer "$stamp" -print0 2>/dev/null |
  xargs -0 -r cat |
  awk -v max="$max" '
    function decode(s) {
      gsub(/&#x[dD];|&#xA;|&#13;|&#10;/, " ", s)
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
      gsub(/&amp;/, "\\&", s)
      gsub(/[ \t\r\n]+/, " ", s)
      return s
    }
    BEGIN { RS = "<UnitTestResult "; shown = 0; total = 0 }
    {
      # The result element'"'"'s own start tag: a file'"'"'s last record runs on to its summary, whose outcome is the run'"'"'s.
      tag = substr($0, 1, index($0, ">"))
      if (tag !~ /outcome="Failed"/) next
      total++
      if (shown >= max) next
      name = "?"
      if (match(tag, /testName="[^"]*"/)) name = decode(substr(tag, RSTART + 10, RLENGTH - 11))
      message = ""
      if (match($0, /<Message>[^<]*<\/Message>/)) message = decode(substr($0, RSTART + 9, RLENGTH - 19))
      if (length(message) > 600) message = substr(message, 1, 600) "…"
      print "FAILED " name
      print "  " message
      shown++
    }
    END { if (total > shown) print "(" total - shown " more failures in the .trx files)" }'
