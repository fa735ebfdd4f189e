from prepdata.cli import main

main()
