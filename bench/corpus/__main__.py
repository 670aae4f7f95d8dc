from bench.corpus.cli import main

raise SystemExit(main())
