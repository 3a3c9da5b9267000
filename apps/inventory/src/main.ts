import { runService } from '@emporium/kit';
import { inventoryService } from './app';

void runService(inventoryService);
