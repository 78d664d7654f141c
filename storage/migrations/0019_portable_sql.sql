-- Reserved for issue 13 work (0019_portable_sql); filled in by that work.
SELECT 1;
