import Hummingbird
import GRDB
import Crypto
import ZIPFoundation
import ArgumentParser
