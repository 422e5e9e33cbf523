# The example configuration of mpsdash.conf(5) as a plain file: the lines between
# .SH EXAMPLE and .EE, roff requests dropped, roff escapes undone. Run with sed -n.
/^\.SH EXAMPLE$/,/^\.EE$/{
/^\./d
s/\\-/-/g
s/\\(ti/~/g
p
}
