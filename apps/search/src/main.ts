import { runService } from '@emporium/kit';
import { searchService } from './app';

void runService(searchService);
