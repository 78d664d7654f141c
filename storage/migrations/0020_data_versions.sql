-- Reserved for issue 13 work (0020_data_versions); filled in by that work.
SELECT 1;
