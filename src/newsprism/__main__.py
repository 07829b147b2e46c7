from newsprism.cli.main import main

main()
