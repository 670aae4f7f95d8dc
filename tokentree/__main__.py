from tokentree.entry import main

raise SystemExit(main())
